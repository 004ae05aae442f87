import { useMutation, useQuery, useQueryClient, type UseQueryOptions } from '@tanstack/react-query';
import type { CallableMethod } from '@stockroom/bridge-client';
import { StockroomError, type MethodParams, type MethodResult } from '@stockroom/shared-types';
import { useSession } from '../session/session.tsx';

type Call = <M extends CallableMethod>(method: M, params: MethodParams<M>) => Promise<MethodResult<M>>;

/** The session's typed call, with params always given (the client's rest-args overload made generic). */
export function useCall(): Call {
  const { client } = useSession();
  return client.call.bind(client) as unknown as Call;
}

/** A method's answer, cached under [method, params] and refreshed by live events (see live.ts). */
export function useMethod<M extends CallableMethod>(
  method: M,
  params: MethodParams<M>,
  options: Omit<UseQueryOptions<MethodResult<M>, StockroomError>, 'queryKey' | 'queryFn'> = {},
) {
  const call = useCall();
  return useQuery<MethodResult<M>, StockroomError>({
    queryKey: [method, params],
    queryFn: () => call(method, params),
    retry: (count, error) => count < 2 && (error.code === 'DISCONNECTED' || error.code === 'TIMEOUT'),
    ...options,
  });
}

/** A state change; afterwards every cached answer of the `refresh` methods is fetched again. */
export function useMethodMutation<M extends CallableMethod>(method: M, refresh: CallableMethod[] = []) {
  const call = useCall();
  const queries = useQueryClient();
  return useMutation<MethodResult<M>, StockroomError, MethodParams<M>>({
    mutationFn: (params) => call(method, params),
    onSuccess: () => Promise.all(refresh.map((name) => queries.invalidateQueries({ queryKey: [name] }))),
  });
}

/** True when the server does not have this method yet (the feature has not landed on it). */
export function isNotAvailable(error: unknown): boolean {
  return error instanceof StockroomError && error.code === 'UNKNOWN_METHOD';
}
