/**
 * Facts from the top-level object of a Kineto trace (everything but its
 * events): the device, versions, the time base.
 *
 * Pure module.
 */

type Json = Record<string, unknown>;

/** Decimal text of an integer field (string after quoting, or number), or undefined. */
export function integerText(value: unknown): string | undefined {
  if (typeof value === 'string' && /^-?\d+$/.test(value)) {
    return value;
  }
  if (typeof value === 'number' && Number.isFinite(value)) {
    return BigInt(Math.round(value)).toString();
  }
  return undefined;
}

/** Name of the first device in `deviceProperties`, or ''. */
export function deviceName(top: Json | null): string {
  const props = top?.deviceProperties;
  if (Array.isArray(props) && props.length > 0) {
    const name = (props[0] as Json | null)?.name;
    return typeof name === 'string' ? name : '';
  }
  return '';
}

/** Top-level `*_version` / `*Version` fields (not `schemaVersion`), and NCCL's. */
export function versionsOf(top: Json): Record<string, string> {
  const versions: Record<string, string> = {};
  for (const key of Object.keys(top)) {
    const value = top[key];
    if (
      key !== 'schemaVersion' &&
      /version$/i.test(key) &&
      (typeof value === 'string' || typeof value === 'number')
    ) {
      versions[key] = String(value);
    }
  }
  const dist = top.distributedInfo as Json | undefined;
  if (dist && typeof dist === 'object' && dist.nccl_version !== undefined) {
    versions.nccl_version = String(dist.nccl_version);
  }
  return versions;
}

/**
 * The rank of a distributed run and the job's number of ranks, as decimal
 * text, from Kineto's `distributedInfo` (`rank`, `world_size`); each absent
 * when the trace records none.
 */
export function distributedRank(top: Json | null): { rank?: string; worldSize?: string } {
  const dist = top?.distributedInfo as Json | undefined;
  if (!dist || typeof dist !== 'object') {
    return {};
  }
  const rank = integerText(dist.rank);
  const worldSize = integerText(dist.world_size);
  return {
    ...(rank !== undefined ? { rank } : {}),
    ...(worldSize !== undefined ? { worldSize } : {})
  };
}
