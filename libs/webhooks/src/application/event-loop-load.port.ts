/** How busy this process's event loop has been lately: 0 (idle) to 1 (never idle). */
export interface EventLoopLoad {
  utilization(): number;
}

export const EVENT_LOOP_LOAD = Symbol('EVENT_LOOP_LOAD');
