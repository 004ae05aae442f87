# Sourced by ./stockroom (and the container image sets the same): settings of the Node
# runtime that must be in place before the process starts.
#
# libuv's thread pool (default 4 threads) is sized once, when a process first uses it, and
# Node's module loader uses it before any of our code runs, so only the environment of the
# process can size it. A worker needs more than 4: each running sharp conversion holds a
# thread for its whole length, and the fsyncs, renames and hashing of finished derivatives
# wait behind them (with 16, a thumbnail job's store phase went from 66 to 35 ms). An
# explicit UV_THREADPOOL_SIZE is kept.
export UV_THREADPOOL_SIZE="${UV_THREADPOOL_SIZE:-16}"
