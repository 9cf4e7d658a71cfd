/**
 * The MIME renderer of `application/vnd.ascend-profiler.v1+json`.
 *
 * The profiling cell displays a small bundle saying where the trace is. The
 * first time the renderer sees it, it reads the trace, analyses it in a Web
 * Worker and writes the summary back into the output, so the notebook keeps
 * the view (not the trace) and shows it again when reopened.
 */
import type { Message } from '@lumino/messaging';
import { Widget, PanelLayout } from '@lumino/widgets';
import { snapshotOf, type IProfileSnapshot } from '../analysis/compare';
import type { IRenderMime } from '@jupyterlab/rendermime-interfaces';
import { nullTranslator, type TranslationBundle } from '@jupyterlab/translation';
import {
  MIME_TYPE,
  TRANSLATION_DOMAIN,
  type IAnalysisError,
  type IProfileBundle,
  type IProfileHost
} from '../tokens';
import { TraceSession } from '../worker/traceSession';
import { checklistMarkdown } from './checklistMarkdown';
import { ProfileView, type IRemedyActions } from './ProfileView';

/** CSS class of the renderer's node. */
const RENDERER_CLASS = 'jp-AscendProfiler-output';

/** Renders one profile bundle. */
export class ProfileRenderer extends Widget implements IRenderMime.IRenderer {
  /**
   * @param options Renderer options from the registry.
   * @param host What the notebook around us provides, or null outside notebooks.
   */
  constructor(
    private readonly _options: IRenderMime.IRendererOptions,
    private readonly _host: IProfileHost | null
  ) {
    super();
    this.addClass(RENDERER_CLASS);
    // JupyterLab sets no data-mime-type on output nodes; tests and CSS find us by it.
    this.node.dataset.mimeType = MIME_TYPE;
    this._trans = (_options.translator ?? nullTranslator).load(TRANSLATION_DOMAIN);
    this._view = new ProfileView(this._trans);
    const layout = (this.layout = new PanelLayout());
    layout.addWidget(this._view);
  }

  /** Render the bundle; analyse the trace first if the bundle has no summary yet. */
  async renderModel(model: IRenderMime.IMimeModel): Promise<void> {
    const bundle = model.data[MIME_TYPE] as unknown as IProfileBundle | undefined;
    const trans = this._trans;
    if (!bundle || typeof bundle !== 'object') {
      this._view.showError(
        trans.__('No profile in this output'),
        trans.__('The output holds no profile bundle.')
      );
      return;
    }
    const key = Private.keyOf(bundle);
    if (key === this._shownKey) {
      return;
    }
    this._shownKey = key;
    if (bundle.status === 'error') {
      this._view.showError(
        trans.__('The profiler wrote no trace'),
        bundle.error ?? trans.__('No reason was given.'),
        bundle.run_dir
      );
      return;
    }
    if (bundle.summary) {
      this._view.showProfile(bundle, bundle.summary, this._applier());
      this._recordHistory(bundle);
      return;
    }
    if (bundle.analysis_error) {
      this._showAnalysisError(bundle.analysis_error, bundle.trace_path);
      return;
    }
    if (!bundle.trace_path) {
      this._view.showError(
        trans.__('The profiler wrote no trace'),
        trans.__('The bundle names no trace file.')
      );
      return;
    }
    await this._analyse(model, bundle, bundle.trace_path);
  }

  private async _analyse(
    model: IRenderMime.IMimeModel,
    bundle: IProfileBundle,
    tracePath: string
  ): Promise<void> {
    const trans = this._trans;
    const resolver = this._options.resolver;
    if (!this._host || !resolver) {
      this._view.showError(
        trans.__('The trace cannot be read here'),
        trans.__('Open the notebook in JupyterLab to analyse this trace.'),
        tracePath
      );
      return;
    }
    this._view.showProgress(
      trans.__('Reading and analysing the trace (%1)…', Private.size(bundle.trace_bytes))
    );
    let next: IProfileBundle;
    try {
      const siblings = await Private.readSiblings(
        this._host,
        resolver,
        bundle.siblings ?? [],
        bundle.siblings_abs ?? []
      );
      // The trace streams into the worker, which parses each chunk as it arrives: the page
      // never holds the whole file, and the parse overlaps the download.
      const progress = Private.throttled((loaded: number, total: number | null) => {
        this._view.showProgress(
          trans.__(
            'Reading and analysing the trace: %1 of %2…',
            Private.size(loaded),
            Private.size(total ?? bundle.trace_bytes)
          )
        );
      });
      const signal = this._abort.signal;
      const chunks = await this._host.traceChunks(
        resolver,
        tracePath,
        bundle.trace_abs_path,
        bundle.trace_bytes,
        progress,
        signal
      );
      const session = await TraceSession.openStream(
        chunks,
        {
          env: bundle.env,
          versions: bundle.versions,
          device: bundle.device,
          switches: bundle.npu_config,
          siblings
        },
        { signal }
      );
      if (this.isDisposed) {
        session.dispose();
        return;
      }
      this._session?.dispose();
      this._session = session;
      next = { ...bundle, summary: session.summary };
    } catch (reason) {
      const e = reason as Partial<IAnalysisError>;
      next = {
        ...bundle,
        analysis_error: {
          kind: typeof e.kind === 'string' ? e.kind : 'internal',
          message: typeof e.message === 'string' ? e.message : String(reason)
        }
      };
    }
    if (this.isDisposed) {
      return;
    }
    // Show first, then persist: setData makes the output area call renderModel
    // again, which the key check turns into a no-op.
    this._shownKey = Private.keyOf(next);
    const data: Record<string, any> = { ...model.data, [MIME_TYPE]: next as any };
    if (next.summary) {
      // Saved beside our bundle so GitHub, nbviewer and nbconvert show something useful.
      data['text/markdown'] = checklistMarkdown(next.summary, trans);
      this._view.showProfile(next, next.summary, this._applier(), png => {
        if (!this.isDisposed) {
          model.setData({ data: { ...model.data, 'image/png': png } });
        }
      });
      this._view.setSession(this._session);
      this._recordHistory(next);
    } else if (next.analysis_error) {
      this._showAnalysisError(next.analysis_error, tracePath);
    }
    model.setData({ data });
  }

  private _showAnalysisError(error: IAnalysisError, path: string | null): void {
    const trans = this._trans;
    const titles: Record<string, string> = {
      'not-found': trans.__('The trace file is gone'),
      'too-large': trans.__('The trace is too large to analyse in the browser'),
      'not-json': trans.__('The trace file is not valid JSON'),
      'not-a-trace': trans.__('The file is not a profiler trace'),
      empty: trans.__('The trace file is empty')
    };
    this._view.showError(
      titles[error.kind] ?? trans.__('The trace could not be analysed'),
      error.message,
      path
    );
  }

  private _applier(): IRemedyActions | null {
    const host = this._host;
    if (!host) {
      return null;
    }
    const node = this.node;
    return {
      apply: remedies => host.insertRemedyCell(node, remedies),
      needsRestart: remedies => host.needsRestart(remedies),
      details: remedies => host.remedyDetails(remedies),
      restartAndApply: host.restartAndApply
        ? remedies => host.restartAndApply!(node, remedies)
        : undefined,
      profileInFreshProcess: host.profileInFreshProcess
        ? remedies => host.profileInFreshProcess!(node, remedies)
        : undefined
    };
  }

  /**
   * Keep this run in the cell's history and show the comparison with earlier
   * runs. The output may not be in its cell yet when a saved summary renders
   * at once; then it is retried when the widget is attached.
   */
  private _recordHistory(bundle: IProfileBundle): void {
    const host = this._host;
    const summary = bundle.summary;
    if (!host || !summary) {
      return;
    }
    const snapshot = snapshotOf(summary, {
      startedAt: bundle.started_at,
      wallTimeS: bundle.wall_time_s,
      env: bundle.env ?? {},
      switches: bundle.npu_config,
      cellError: bundle.cell_error,
      profiler: bundle.profiler
    });
    const history = host.recordProfile(this.node, snapshot);
    if (history === null) {
      this._pendingHistory = bundle;
      return;
    }
    this._pendingHistory = null;
    this._shownHistory = { history, startedAt: bundle.started_at };
    if (!this._watchingProfiles) {
      this._watchingProfiles = true;
      host.profilesChanged?.connect(this._showComparison, this);
    }
    this._showComparison();
  }

  /** The comparison menu: earlier runs of this cell and the runs other cells keep. */
  private _showComparison(): void {
    const host = this._host;
    const shown = this._shownHistory;
    if (!host || !shown || this.isDisposed) {
      return;
    }
    this._view.showComparison(shown.history, shown.startedAt, {
      others: host.otherProfiles(this.node),
      // Other cells keeping new profiles redraw this menu; the user's pick stays.
      picked: this._comparedWith,
      onPick: snapshot => {
        this._comparedWith = snapshot;
      }
    });
  }

  protected onAfterAttach(msg: Message): void {
    super.onAfterAttach(msg);
    if (this._pendingHistory) {
      this._recordHistory(this._pendingHistory);
    }
  }

  /** Free the live analysis (its worker holds the whole trace). */
  dispose(): void {
    this._host?.profilesChanged?.disconnect(this._showComparison, this);
    // Stops a read still in flight (from the server, or chunk by chunk through the kernel).
    this._abort.abort();
    this._session?.dispose();
    this._session = null;
    super.dispose();
  }

  private _trans: TranslationBundle;
  private _view: ProfileView;
  private _shownKey = '';
  private _pendingHistory: IProfileBundle | null = null;
  private _session: TraceSession | null = null;
  private _abort = new AbortController();
  private _shownHistory: { history: IProfileSnapshot[]; startedAt: string } | null = null;
  private _comparedWith: IProfileSnapshot | null = null;
  private _watchingProfiles = false;
}

/**
 * A renderer factory bound to a host (or to none).
 *
 * @param host What the notebook provides; null for outputs outside notebooks.
 */
export function createRendererFactory(
  host: IProfileHost | null
): IRenderMime.IRendererFactory {
  return {
    safe: true,
    mimeTypes: [MIME_TYPE],
    defaultRank: 40,
    createRenderer: options => new ProfileRenderer(options, host)
  };
}

namespace Private {
  /**
   * Read the sibling files as text, by path. A missing or unreadable sibling is
   * skipped: the checklist then lacks that fact, it does not fail.
   */
  export async function readSiblings(
    host: IProfileHost,
    resolver: IRenderMime.IResolver,
    paths: string[],
    absPaths: string[]
  ): Promise<Record<string, string>> {
    const decoder = new TextDecoder();
    const files: Record<string, string> = {};
    await Promise.all(
      paths.map(async (path, i) => {
        try {
          files[path] = decoder.decode(await host.readFile(resolver, path, absPaths[i]));
        } catch {
          // Skipped on purpose, see above.
        }
      })
    );
    return files;
  }

  /** Identity of what is shown: a new run, or the same run once analysed. */
  export function keyOf(bundle: IProfileBundle): string {
    const state = bundle.summary
      ? 'summary'
      : bundle.analysis_error
        ? `error:${bundle.analysis_error.kind}`
        : bundle.status;
    return `${bundle.run_dir}|${bundle.started_at}|${state}`;
  }

  /** Least time between two progress lines, ms: chunks arrive far more often. */
  const PROGRESS_INTERVAL_MS = 100;

  /**
   * `report`, called at most once per {@link PROGRESS_INTERVAL_MS}, and always for the last
   * byte (calls in between are dropped).
   */
  export function throttled(
    report: (loaded: number, total: number | null) => void
  ): (loaded: number, total: number | null) => void {
    let last = 0;
    return (loaded, total) => {
      const now = Date.now();
      if (now - last >= PROGRESS_INTERVAL_MS || loaded === total) {
        last = now;
        report(loaded, total);
      }
    };
  }

  /** File size for the progress line. */
  export function size(bytes: number | null): string {
    if (bytes === null || !Number.isFinite(bytes)) {
      return '?';
    }
    if (bytes < 1024 * 1024) {
      return `${Math.max(1, Math.round(bytes / 1024))} KB`;
    }
    return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
  }
}
