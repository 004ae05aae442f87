/**
 * A set of callbacks; one that throws does not stop the others. Hand-written
 * because an emitter library would bring Node's `events` into browser bundles.
 */
export class Listeners<Args extends unknown[]> {
  private readonly callbacks = new Set<(...args: Args) => void>();

  constructor(private readonly onListenerError: (error: unknown) => void = () => {}) {}

  add(callback: (...args: Args) => void): () => void {
    // A wrapper so the same function can be added twice and removed independently.
    const entry = (...args: Args) => callback(...args);
    this.callbacks.add(entry);
    return () => {
      this.callbacks.delete(entry);
    };
  }

  emit(...args: Args): void {
    for (const callback of [...this.callbacks]) {
      try {
        callback(...args);
      } catch (error) {
        this.onListenerError(error);
      }
    }
  }

  get size(): number {
    return this.callbacks.size;
  }
}
