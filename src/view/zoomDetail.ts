/**
 * Zoom detail: while the user zooms or pans the timeline, swap in the marks
 * of the visible window from the live trace session, so a zoomed view shows
 * real slices instead of enlarged overview marks.
 *
 * How it hooks into Vega: the timeline's interval selection `zoom` is bound
 * to the x scale, so every wheel or drag step changes the `zoom` signal
 * (Vega-Lite 5.6 to 5.23 all name it after the param). We listen to it, wait
 * until the user pauses ({@link ZOOM_DEBOUNCE_MS}), read the x scale's domain
 * (ms), ask the session for the window's marks, and replace the rows of
 * the chart's {@link TIMELINE_DATASET} with a changeset (`view.data`), which
 * re-runs the dataflow without re-embedding (performance.md §4: ~40 ms for 5k
 * rows). The scales and the selection are untouched, so the swap does not
 * fire `zoom` again. Answers cover 3× the visible range at a power-of-two
 * resolution (`windowMarks`), so pans within it need no request.
 */
import type { View } from 'vega';
import { lodWindow, windowCovers, type ILodWindow } from '../analysis/windowMarks';
import type { WorkKind } from '../trace/model';
import type { TraceSession } from '../worker/traceSession';
import { MIN_MARK_SHARE_OF_SPAN, TIMELINE_DATASET, timelineRows } from './timelineSpec';

/**
 * Quiet time after the last zoom or pan step before detail is requested,
 * ms. Source: performance.md §4 (debounce 100–150 ms): short enough to feel
 * immediate when the wheel stops, long enough to skip the steps in between.
 */
export const ZOOM_DEBOUNCE_MS = 120;

/** Name of the timeline's scale-bound interval selection param (see timelineSpec). */
export const ZOOM_SIGNAL = 'zoom';

/** Options of {@link attachZoomDetail}. */
export interface IZoomDetailOptions {
  /** Unique lane names by lane index, as the spec used (`uniqueLaneNames` of the summary's lane labels). */
  laneNames: readonly string[];
  /** Display names of the kinds of work, as the spec used (`labels.workNames`). */
  workNames: Record<WorkKind, string>;
  /** Trace span, µs (`summary.spanUs`). */
  spanUs: number;
  /** Quiet time before a request, ms (default {@link ZOOM_DEBOUNCE_MS}). */
  debounceMs?: number;
  /** Most marks per answer (default `DEFAULT_MARK_BUDGET`). */
  maxMarks?: number;
  /** Called when a request fails; the chart keeps the marks it has. */
  onError?: (reason: unknown) => void;
}

/** A zoom detail controller attached to one chart. */
export interface IZoomDetail {
  /**
   * Load the marks of the visible range now (no debounce). Resolves true
   * when new marks were drawn, false when those on the chart already cover
   * the range, or the request was superseded or disposed.
   */
  refresh(): Promise<boolean>;
  /** Stop listening (the session is the caller's to dispose). */
  dispose(): void;
}

/**
 * Attach zoom detail to an embedded timeline (the `view` of vega-embed's
 * result for a `timelineSpec` chart).
 */
export function attachZoomDetail(
  view: View,
  session: TraceSession,
  options: IZoomDetailOptions
): IZoomDetail {
  const debounceMs = options.debounceMs ?? ZOOM_DEBOUNCE_MS;
  const { spanUs } = options;
  let disposed = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let loaded: ILodWindow | null = null;

  const visible = (): { fromUs: number; toUs: number; buckets: number } => {
    const [from, to] = view.scale('x').domain() as number[];
    return {
      fromUs: from * 1000,
      toUs: to * 1000,
      buckets: Math.max(1, Math.round(view.width()))
    };
  };

  const refresh = async (): Promise<boolean> => {
    if (disposed || session.isDisposed) {
      return false;
    }
    const { fromUs, toUs, buckets } = visible();
    if (loaded && windowCovers(loaded, fromUs, toUs, buckets, spanUs)) {
      return false;
    }
    const answer = await session.marks(fromUs, toUs, buckets, options.maxMarks);
    if (!answer || disposed) {
      return false;
    }
    const minWidthUs = (toUs - fromUs) * MIN_MARK_SHARE_OF_SPAN;
    view.data(
      TIMELINE_DATASET,
      timelineRows(answer.marks, options.laneNames, options.workNames, minWidthUs)
    );
    await view.runAsync();
    loaded = answer;
    return true;
  };

  const run = () => {
    refresh().catch(reason => options.onError?.(reason));
  };

  const onZoom = () => {
    clearTimeout(timer);
    timer = setTimeout(run, debounceMs);
  };

  view.addSignalListener(ZOOM_SIGNAL, onZoom);
  // The summary's overview marks serve the whole run; a chart embedded
  // already zoomed (to a finding's evidence) needs detail at once.
  const initial = visible();
  if (initial.fromUs <= 0 && initial.toUs >= spanUs) {
    loaded = lodWindow(initial.fromUs, initial.toUs, initial.buckets, spanUs);
  } else {
    run();
  }

  return {
    refresh,
    dispose: () => {
      if (disposed) {
        return;
      }
      disposed = true;
      clearTimeout(timer);
      view.removeSignalListener(ZOOM_SIGNAL, onZoom);
    }
  };
}
