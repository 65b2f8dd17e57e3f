import { parseAppConfig } from '../../../config/src/index.js';
import { DeliveryBacklog } from './delivery-backlog.js';
import type { EventLoopLoad } from './event-loop-load.port.js';
import { PublishBackpressure } from './publish-backpressure.js';

/** Real timers (the recheck runs every 5 ms); time as the class sees it is `clock.ms`. */
const settle = (ms = 30): Promise<void> => new Promise((r) => setTimeout(r, ms));

describe('PublishBackpressure', () => {
  const clock = { ms: 0 };
  let utilization: number;
  let backlog: DeliveryBacklog;
  const load: EventLoopLoad = { utilization: () => utilization };
  const make = (env: Record<string, string> = {}): PublishBackpressure =>
    new PublishBackpressure(
      parseAppConfig({ NODE_ENV: 'test', WEBHOOK_BACKPRESSURE_TARGET_MS: '50', ...env }),
      backlog,
      load,
      () => clock.ms,
    );

  beforeEach(() => {
    clock.ms = 1_000;
    utilization = 1;
    backlog = new DeliveryBacklog();
    backlog.track(true);
  });

  it('answers at once while fresh deliveries start within the target', () => {
    const bp = make();
    backlog.requested('ep_a', 'dlv_1', 990); // waited 10 ms, the loop saturated
    expect(bp.hold()).toBeUndefined();
  });

  it('answers at once while the loop has room, however long deliveries wait (a slow subscriber)', () => {
    const bp = make();
    backlog.requested('ep_slow', 'dlv_1', 0); // waited 1 s behind a slow endpoint
    utilization = 0.3;
    expect(bp.hold()).toBeUndefined();
  });

  it('holds answers while the backlog is over the target on a saturated loop, and lets them go in order once it drains', async () => {
    const bp = make();
    backlog.requested('ep_a', 'dlv_1', 900); // waited 100 ms
    const released: number[] = [];
    const first = bp.hold();
    const second = bp.hold();
    expect(first).toBeInstanceOf(Promise);
    expect(second).toBeInstanceOf(Promise);
    void first!.then(() => released.push(1));
    void second!.then(() => released.push(2));
    await settle();
    expect(released).toEqual([]);
    // A later publish queues behind the held ones even if the moment looks fine.
    backlog.started('ep_a', 'dlv_1', clock.ms);
    expect(bp.hold()).toBeInstanceOf(Promise);
    await settle();
    expect(released).toEqual([1, 2]);
    expect(bp.stats()).toMatchObject({ held: 3, holding: 0 });
  });

  it('holds nobody for a backlog behind a hanging subscriber, even on a saturated loop', async () => {
    const bp = make();
    backlog.started('ep_hanging', 'dlv_in_flight', 0); // in flight for 1 s
    backlog.requested('ep_hanging', 'dlv_1', 100);
    expect(bp.hold()).toBeUndefined();
    backlog.requested('ep_fast', 'dlv_2', 900); // a fast endpoint's delivery waiting 100 ms does count
    const held = bp.hold();
    expect(held).toBeInstanceOf(Promise);
    backlog.started('ep_fast', 'dlv_2', clock.ms);
    await held; // released once the fast endpoint caught up
  });

  it('lets a held answer go after WEBHOOK_BACKPRESSURE_MAX_WAIT_MS even if the backlog stays', async () => {
    const bp = make({ WEBHOOK_BACKPRESSURE_MAX_WAIT_MS: '200' });
    backlog.requested('ep_a', 'dlv_1', 900);
    let released = false;
    void bp.hold()!.then(() => (released = true));
    clock.ms += 150;
    await settle();
    expect(released).toBe(false);
    clock.ms += 60;
    await settle();
    expect(released).toBe(true);
    expect(bp.stats().heldMs).toBeGreaterThanOrEqual(200);
  });

  it('is off with WEBHOOK_BACKPRESSURE_TARGET_MS=0', () => {
    const bp = make({ WEBHOOK_BACKPRESSURE_TARGET_MS: '0' });
    backlog.requested('ep_a', 'dlv_1', 0);
    expect(bp.hold()).toBeUndefined();
  });
});
