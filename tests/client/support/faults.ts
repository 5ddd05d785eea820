/**
 * A `fetch` that injects network faults between the client's GraphQL
 * transport and the real server: the transport, its error handling and the
 * server's idempotency all run for real; only the network misbehaves.
 */
export type Fault = 'dropRequest' | 'dropResponse' | 'duplicate' | 'delay' | 'error500';

export const FAULTS: readonly Fault[] = ['dropRequest', 'dropResponse', 'duplicate', 'delay', 'error500'];

export interface FaultyFetchOptions {
  /** Probability of a fault per request. Default 0 (use `next` to script faults). */
  rate?: number;
  /** Which faults to draw from. Default all. */
  faults?: readonly Fault[];
  random?: () => number;
  delayMs?: number;
  /** Only requests whose body contains this text are faulted (e.g. 'syncPush'). */
  only?: string;
}

export interface FaultyFetch {
  fetch: typeof fetch;
  /** Faults to apply to the next matching requests, in order (before random ones). */
  next: Fault[];
  /** Every fault injected, in order. */
  log: Fault[];
  options: FaultyFetchOptions;
}

export function faultyFetch(options: FaultyFetchOptions = {}): FaultyFetch {
  const state: FaultyFetch = { next: [], log: [], options, fetch: undefined as unknown as typeof fetch };
  const random = options.random ?? Math.random;
  state.fetch = async (input, init) => {
    const body = typeof init?.body === 'string' ? init.body : '';
    const eligible = !state.options.only || body.includes(state.options.only);
    let fault: Fault | undefined;
    if (eligible) {
      fault = state.next.shift();
      if (!fault && (state.options.rate ?? 0) > 0 && random() < state.options.rate!) {
        const pool = state.options.faults ?? FAULTS;
        fault = pool[Math.floor(random() * pool.length)];
      }
    }
    if (!fault) return fetch(input, init);
    state.log.push(fault);
    switch (fault) {
      case 'dropRequest':
        throw new TypeError('fetch failed (injected: request dropped)');
      case 'dropResponse': {
        // The server receives and commits the request; the client never hears back.
        const response = await fetch(input, init);
        await response.arrayBuffer();
        throw new TypeError('fetch failed (injected: response dropped)');
      }
      case 'duplicate': {
        const first = await fetch(input, init);
        await first.arrayBuffer();
        return fetch(input, init);
      }
      case 'delay':
        await new Promise((r) => setTimeout(r, state.options.delayMs ?? 30));
        return fetch(input, init);
      case 'error500':
        return new Response('injected internal error', { status: 500 });
      default: {
        const unreachable: never = fault;
        throw new Error(`unknown fault ${String(unreachable)}`);
      }
    }
  };
  return state;
}

/** A small seeded PRNG (mulberry32): the same seed gives the same run. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
