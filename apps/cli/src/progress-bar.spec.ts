import { renderProgress } from './progress-bar.js';

describe('renderProgress', () => {
  it('shows the share done, the rate and the remaining time', () => {
    const line = renderProgress(500, 1000, 100);
    expect(line).toContain('50.0%');
    expect(line).toContain('500/1000 events');
    expect(line).toContain('100 ev/s');
    expect(line).toContain('ETA 5.0 s');
    expect(line).toContain('#'.repeat(15) + '.'.repeat(15));
  });

  it('has no ETA before a rate is known, and is full when done', () => {
    expect(renderProgress(0, 10, 0)).toContain('ETA —');
    expect(renderProgress(10, 10, 5)).toContain('100.0%');
  });
});
