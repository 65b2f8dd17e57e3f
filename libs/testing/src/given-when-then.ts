import type { Decider } from '../../kernel/src/index.js';
import { DomainError } from '../../kernel/src/index.js';

/**
 * Given past events, when a command, then new events or an error — against a pure decider.
 *   spec(tokenDecider).given([created]).when(revoke).then([revoked])
 */
export function spec<S, C, E>(decider: Decider<S, C, E>) {
  return {
    given(history: E[]) {
      const state = history.reduce(decider.evolve, decider.initialState());
      return {
        when(command: C) {
          const run = () => decider.decide(command, state);
          return {
            then(expected: E[]): void {
              expect(run()).toEqual(expected);
            },
            thenThrows(code: string): DomainError {
              let thrown: unknown;
              try {
                run();
              } catch (error) {
                thrown = error;
              }
              expect(thrown).toBeInstanceOf(DomainError);
              expect((thrown as DomainError).code).toBe(code);
              return thrown as DomainError;
            },
          };
        },
      };
    },
  };
}
