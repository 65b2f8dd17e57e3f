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
    b.started('ep_a', 'dlv_1', 1_100);
    expect(b.oldestWaitMs(1_100)).toBe(80); // ep_b's dlv_3 is now the oldest
    b.started('ep_b', 'dlv_3', 1_100);
    expect(b.oldestWaitMs(1_100)).toBe(60);
    b.started('ep_a', 'dlv_2', 1_100);
    expect(b.waiting).toBe(0);
    expect(b.oldestWaitMs(1_100)).toBe(0);
  });

  it('ignores starts of deliveries it never saw (retries, other processes) and repeated requests', () => {
    const b = tracking();
    b.requested('ep_a', 'dlv_1', 0);
    b.requested('ep_a', 'dlv_1', 50);
    b.started('ep_a', 'dlv_other', 60);
    b.finished('ep_a', 'dlv_other');
    b.started('ep_x', 'dlv_1', 60);
    expect(b.waiting).toBe(1);
    expect(b.oldestWaitMs(100)).toBe(100);
  });

  it('leaves out the backlog of a slow subscriber (an attempt in flight for over 500 ms), however old', () => {
    const b = tracking();
    b.started('ep_slow', 'dlv_hanging', 0);
    b.requested('ep_slow', 'dlv_queued', 100);
    b.requested('ep_fast', 'dlv_fresh', 2_960);
    expect(b.oldestWaitMs(400)).toBe(300); // in flight 400 ms: not slow yet
    expect(b.oldestWaitMs(3_000)).toBe(40); // only the fast endpoint's wait counts
    b.finished('ep_slow', 'dlv_hanging');
    expect(b.oldestWaitMs(3_000)).toBe(2_900); // nothing in flight there any more: it waits for us
  });

  it('counts an endpoint whose attempts come back quickly, even with all its slots busy', () => {
    const b = tracking();
    for (let i = 0; i < 8; i++) b.started('ep_a', `dlv_busy_${i}`, 990);
    b.requested('ep_a', 'dlv_next', 950);
    expect(b.oldestWaitMs(1_000)).toBe(50);
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
