import type { RecordedEvent } from '../../kernel/src/index.js';

/** Turns the data of `type` at `fromVersion` into the shape of `fromVersion + 1`. */
export interface Upcaster {
  type: string;
  fromVersion: number;
  upcast(data: unknown): unknown;
}

/**
 * Events are immutable, so old shapes are converted on read instead of migrated in place.
 * Every stored event carries `schemaVersion`; readers only ever see the current one.
 */
export class UpcasterRegistry {
  private readonly byType = new Map<string, Map<number, Upcaster>>();

  constructor(upcasters: Upcaster[] = []) {
    for (const u of upcasters) this.register(u);
  }

  register(upcaster: Upcaster): void {
    let versions = this.byType.get(upcaster.type);
    if (!versions) this.byType.set(upcaster.type, (versions = new Map()));
    versions.set(upcaster.fromVersion, upcaster);
  }

  /** The version new events of `type` are written with. */
  currentVersion(type: string): number {
    const versions = this.byType.get(type);
    if (!versions) return 1;
    return Math.max(...versions.keys()) + 1;
  }

  upcast(event: RecordedEvent): RecordedEvent {
    const versions = this.byType.get(event.type);
    if (!versions) return event;
    let { data, schemaVersion } = event;
    for (let u = versions.get(schemaVersion); u; u = versions.get(schemaVersion)) {
      data = u.upcast(data);
      schemaVersion += 1;
    }
    return schemaVersion === event.schemaVersion ? event : { ...event, data, schemaVersion };
  }
}
