import { DeliveryBacklog } from './delivery-backlog.js';

describe('DeliveryBacklog', () => {
  const tracking = (): DeliveryBacklog => {
    const b = new DeliveryBacklog();
    b.track(true);
    return b;
  };

  it('reports the longest wait over all endpoints, and nothing once every delivery started', () => {
    const b = tracking();
    b.requested('ep_a', 'dlv_1', 1_000);
    b.requested('ep_a', 'dlv_2', 1_040);
    b.requested('ep_b', 'dlv_3', 1_020);
    expect(b.waiting).toBe(3);
    expect(b.oldestWaitMs(1_100)).toBe(100);
    b.started('ep_a', 'dlv_1');
    expect(b.oldestWaitMs(1_100)).toBe(80); // ep_b's dlv_3 is now the oldest
    b.started('ep_b', 'dlv_3');
    expect(b.oldestWaitMs(1_100)).toBe(60);
    b.started('ep_a', 'dlv_2');
    expect(b.waiting).toBe(0);
    expect(b.oldestWaitMs(1_100)).toBe(0);
  });

  it('ignores starts of deliveries it never saw (retries, other processes) and repeated requests', () => {
    const b = tracking();
    b.requested('ep_a', 'dlv_1', 0);
    b.requested('ep_a', 'dlv_1', 50);
    b.started('ep_a', 'dlv_other');
    b.started('ep_x', 'dlv_1');
    expect(b.waiting).toBe(1);
    expect(b.oldestWaitMs(100)).toBe(100);
  });

  it('forgets deliveries after 10 s (claimed elsewhere), so a stale entry cannot hold publishing forever', () => {
    const b = tracking();
    b.requested('ep_a', 'dlv_old', 0);
    b.requested('ep_a', 'dlv_new', 9_000);
    expect(b.oldestWaitMs(10_500)).toBe(1_500);
    expect(b.waiting).toBe(1);
  });

  it('tracks nothing while this process does not dispatch', () => {
    const b = new DeliveryBacklog();
    b.requested('ep_a', 'dlv_1', 0);
    expect(b.waiting).toBe(0);
    b.track(true);
    b.requested('ep_a', 'dlv_1', 0);
    b.track(false);
    expect(b.waiting).toBe(0);
    expect(b.oldestWaitMs(100)).toBe(0);
  });
});
