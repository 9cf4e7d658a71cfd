/**
 * A main-area tab that shows the profile view of a trace file or profiler
 * folder opened from the file browser.
 *
 * Why a DocumentWidget with our own model factory: JupyterLab opens files on
 * double-click and "Open With" only through the document registry, and every
 * document widget gets a context that loads the file. A model factory whose
 * `fileFormat` is null makes the context ask the Contents API for metadata
 * only (`content: false`), so the trace never travels as one JSON string and
 * is never parsed on the main thread. The tab then streams the raw bytes from
 * `/files/` (kernel/traceFiles.ts) with a progress bar and a Cancel button,
 * and hands them to the analysis worker. Folders are not documents: they get
 * the same view in a plain MainAreaWidget opened by a command. Every open
 * trace offers itself to the others for comparison (a GPU trace beside an NPU
 * trace).
 */
import { MainAreaWidget } from '@jupyterlab/apputils';
import {
  ABCWidgetFactory,
  DocumentModel,
  DocumentRegistry,
  DocumentWidget
} from '@jupyterlab/docregistry';
import type { Contents } from '@jupyterlab/services';
import { nullTranslator, type ITranslator, type TranslationBundle } from '@jupyterlab/translation';
import { type ISignal, Signal } from '@lumino/signaling';
import { PanelLayout, Widget } from '@lumino/widgets';
import { profileIcon } from '../icons';
import {
  listServerFolder,
  streamTraceFile,
  traceFileChunks,
  TraceFileError
} from '../kernel/traceFiles';
import { TRANSLATION_DOMAIN, type IOtherProfile, type IProfileBundle } from '../tokens';
import { snapshotOf, type IProfileSnapshot } from '../analysis/compare';
import { runSetOverview } from '../analysis/runSet';
import type { IProfileSummary } from '../analysis/summary';
import {
  basename,
  describeProgress,
  dirname,
  formatBytes,
  isTraceFileName,
  locateForFile,
  locateInFolder,
  type ITraceTarget
} from '../trace/locateTrace';
import { AnalysisError } from '../worker/analyzeInWorker';
import { TraceSession } from '../worker/traceSession';
import { el } from './dom';
import { ProfileView } from './ProfileView';
import { renderRunSet } from './runSetView';
import { ASCEND_OUTPUT_DIR } from '../trace/siblings';

/** Name of the model factory that reads no content (see the module comment). */
export const TRACE_MODEL_FACTORY = 'ascend-profiler-no-content';

/** Name of the widget factory; "Open With" shows its label. */
export const TRACE_WIDGET_FACTORY = 'ascend-profiler-profile-view';

/** What a {@link TraceView} opens. */
export interface ITraceRequest {
  /** Server path of a trace file or a folder. */
  path: string;
  /** Whether `path` is a folder. */
  isFolder: boolean;
  /** The file's size when the caller knows it (progress total for servers without Content-Length). */
  sizeHint?: number | null;
}

/** Where a {@link TraceView} is; also on its node as `data-state`, for tests and CSS. */
export type TraceViewState = 'idle' | 'reading' | 'analysing' | 'done' | 'error' | 'cancelled';

/**
 * The tab's content: a progress bar with Cancel while the trace is read and
 * analysed, then the {@link ProfileView}.
 */
export class TraceView extends Widget {
  /**
   * @param contents The app's contents manager (listing and download URLs).
   * @param translator For the user-visible strings.
   */
  constructor(
    private readonly _contents: Contents.IManager,
    translator: ITranslator | null = null
  ) {
    super();
    this.addClass('jp-AscendProfiler-traceView');
    this._trans = (translator ?? nullTranslator).load(TRANSLATION_DOMAIN);
    const trans = this._trans;

    this._status = new Widget();
    this._status.addClass('jp-AscendProfiler-loadStatus');
    const node = this._status.node;
    node.setAttribute('role', 'status');
    this._label = node.appendChild(el('div', 'jp-AscendProfiler-loadLabel'));
    this._bar = node.appendChild(
      el('progress', 'jp-AscendProfiler-loadBar')
    ) as HTMLProgressElement;
    this._bar.max = 1;
    const buttons = node.appendChild(el('div', 'jp-AscendProfiler-loadButtons'));
    this._cancel = buttons.appendChild(
      el('button', 'jp-Button jp-mod-styled jp-mod-reject', trans.__('Cancel'))
    ) as HTMLButtonElement;
    this._cancel.title = trans.__('Stop reading and analysing this trace');
    this._cancel.addEventListener('click', () => this.cancel());
    this._retry = buttons.appendChild(
      el('button', 'jp-Button jp-mod-styled jp-mod-accept', trans.__('Open Again'))
    ) as HTMLButtonElement;
    this._retry.addEventListener('click', () => {
      if (this._request) {
        void this.open(this._request);
      }
    });

    this._view = new ProfileView(trans);
    Private.openTracesChanged.connect(this._showComparison, this);
    this._otherRuns = new Widget();
    this._otherRuns.addClass('jp-AscendProfiler-otherRuns');
    this._otherRuns.hide();
    this._runSet = new Widget();
    this._runSet.addClass('jp-AscendProfiler-runSetHost');
    this._runSet.hide();
    const layout = (this.layout = new PanelLayout());
    layout.addWidget(this._status);
    layout.addWidget(this._otherRuns);
    layout.addWidget(this._runSet);
    layout.addWidget(this._view);
    this._setState('idle');
  }

  /**
   * Emitted with the server path of another trace the user asked to open (one of the other runs
   * or ranks found in the opened folder); the plugin opens it in its own tab.
   */
  get openRequested(): ISignal<this, string> {
    return this._openRequested;
  }

  /** What was opened last, or null. */
  get request(): ITraceRequest | null {
    return this._request;
  }

  /** Where the view is. */
  get state(): TraceViewState {
    return this._state;
  }

  /**
   * Read and analyse a trace file or folder; resolves when the profile (or
   * an error) shows. A running open is cancelled first.
   */
  async open(request: ITraceRequest): Promise<void> {
    this._controller?.abort();
    this._runSetController?.abort();
    this._runSetController = null;
    this._leaveComparisons();
    this._shown = null;
    this._folderRuns = [];
    this._runSet.hide();
    const controller = new AbortController();
    this._controller = controller;
    this._request = request;
    const signal = controller.signal;
    const trans = this._trans;
    const name = basename(request.path) || '/';
    try {
      this._setState('reading');
      this._showStage(trans.__('Looking for the trace in %1…', name), null);
      this._view.showProgress(trans.__('Reading %1…', name));
      const list = (path: string) => listServerFolder(this._contents, path);
      const target = request.isFolder
        ? await locateInFolder(request.path, list)
        : await locateForFile(request.path, list, request.sizeHint ?? null);
      if (signal.aborted) {
        return;
      }
      if (!target) {
        this._fail(
          trans.__('No trace in this folder'),
          trans.__(
            'No trace file (trace_view.json or *.pt.trace.json, optionally .gz) was found in %1. Open a *_ascend_pt folder, its ASCEND_PROFILER_OUTPUT folder or a trace file.',
            request.path || '/'
          ),
          request.path
        );
        return;
      }
      const { session, size } = await this._analyse(
        target,
        signal,
        (label, loaded, total) => this._progress(label, loaded, total),
        bytes => {
          this._setState('analysing');
          this._showStage(trans.__('Analysing %1 (%2)…', basename(target.tracePath), formatBytes(bytes)), null);
        }
      );
      if (signal.aborted || this.isDisposed) {
        session.dispose();
        return;
      }
      // Kept alive so zooming in shows real slices; freed with the tab or the next load.
      this._session?.dispose();
      this._session = session;
      const summary = session.summary;
      this._shown = { path: Private.runPathOf(target), summary };
      this._showOtherRuns(target.others);
      this._setState('done');
      this._view.showProfile(Private.bundleFor(target, size, summary), summary, null);
      this._view.setSession(session);
      // Open traces can be compared with each other (a GPU trace beside an NPU trace).
      this._snapshot = snapshotOf(summary, { startedAt: '', wallTimeS: Number.NaN, env: {} });
      Private.openTraces.add(this);
      Private.openTracesChanged.emit(undefined);
    } catch (reason) {
      if (signal.aborted || this.isDisposed) {
        return;
      }
      this._showFailure(reason, request.path);
    } finally {
      if (this._controller === controller) {
        this._controller = null;
      }
    }
  }

  /**
   * Read one trace with its sibling files into a new analysis session: the
   * siblings are small and go with the first message; the trace then
   * streams, each chunk to the worker as it arrives, so the page never holds
   * the whole file (any size) and the parse overlaps the download.
   *
   * @param progress Called with the file being read and the bytes so far.
   * @param downloaded Called with the trace's size once it has all arrived (the worker still parses).
   * @param keep Whether the session keeps the trace for zooming (else only its summary is wanted).
   */
  private async _analyse(
    target: ITraceTarget,
    signal: AbortSignal,
    progress: (label: string, loaded: number, total: number | null) => void,
    downloaded: (bytes: number) => void = () => undefined,
    keep = true
  ): Promise<{ session: TraceSession; size: number }> {
    const trans = this._trans;
    const traceName = basename(target.tracePath);
    const siblings = await this._readSiblings(target, signal, progress);
    let size = 0;
    const chunks = await traceFileChunks(
      this._contents,
      target.tracePath,
      (loaded, total) => {
        size = loaded;
        progress(traceName, loaded, total);
      },
      signal,
      target.traceSize
    );
    const whole = async function* (): AsyncGenerator<Uint8Array> {
      yield* chunks;
      downloaded(size);
    };
    const session = await TraceSession.openStream(whole(), { siblings }, { signal, keep });
    for (const key of target.tooLarge) {
      session.summary.warnings.push(
        trans.__('%1 is larger than the browser reads for the checklist; it was not read.', key)
      );
    }
    return { session, size };
  }

  /**
   * Read every other run of the folder, one at a time (one trace in memory at
   * once, each in its own worker, which ends with its summary), and show them
   * all side by side with the one shown; each can then be opened or compared.
   */
  private async _readAll(paths: string[]): Promise<void> {
    const shown = this._shown;
    if (!shown || this._runSetController) {
      return;
    }
    const controller = new AbortController();
    this._runSetController = controller;
    const { signal } = controller;
    const trans = this._trans;
    const node = this._runSet.node;
    node.textContent = '';
    node.appendChild(el('div', 'jp-AscendProfiler-sectionTitle', trans.__('Runs side by side')));
    const status = node.appendChild(el('div', 'jp-AscendProfiler-runSetStatus'));
    status.setAttribute('role', 'status');
    const label = status.appendChild(el('span', ''));
    const cancel = status.appendChild(
      el('button', 'jp-Button jp-mod-styled jp-mod-reject', trans.__('Cancel'))
    ) as HTMLButtonElement;
    cancel.addEventListener('click', () => controller.abort());
    this._runSet.show();
    const list = (path: string) => listServerFolder(this._contents, path);
    const runs = [{ label: this._runLabel(shown.path), path: shown.path, summary: shown.summary }];
    const failures: { label: string; reason: string }[] = [];
    const total = paths.length + 1;
    let cancelled = false;
    try {
      for (const [k, path] of paths.entries()) {
        const name = this._runLabel(path);
        const reading = trans.__('Reading %1 of %2: %3…', String(k + 2), String(total), name);
        label.textContent = reading;
        try {
          const target = isTraceFileName(basename(path))
            ? await locateForFile(path, list)
            : await locateInFolder(path, list);
          // Listing takes no signal: a cancel during it is seen here.
          signal.throwIfAborted();
          if (!target) {
            failures.push({ label: name, reason: trans.__('no trace file in it') });
            continue;
          }
          const { session } = await this._analyse(
            target,
            signal,
            (file, loaded, size) => {
              const p = describeProgress(loaded, size);
              label.textContent = `${reading} ${file} ${p.total === null ? p.loaded : `${p.loaded} / ${p.total}`}`;
            },
            undefined,
            false
          );
          session.dispose(); // only its summary is kept
          runs.push({ label: name, path, summary: session.summary });
        } catch (reason) {
          if (signal.aborted) {
            throw reason;
          }
          failures.push({ label: name, reason: reason instanceof Error ? reason.message : String(reason) });
        }
      }
    } catch {
      cancelled = true;
    } finally {
      if (this._runSetController === controller) {
        this._runSetController = null;
      }
    }
    // Another profile opened meanwhile (which cancels this): it shows instead.
    if (this.isDisposed || this._shown !== shown) {
      return;
    }
    status.remove();
    if (cancelled) {
      node.appendChild(
        el(
          'div',
          'jp-AscendProfiler-note',
          trans.__('Cancelled: %1 of %2 runs were read; they are shown below.', String(runs.length), String(total))
        )
      );
    }
    const overview = runSetOverview(runs.map(r => ({ label: r.label, summary: r.summary })));
    const runOf = (row: number) => runs[overview.rows[row].entry];
    const group = trans.__('Runs in this folder');
    const snapshots = new Map(
      runs.slice(1).map(r => [r, snapshotOf(r.summary, { startedAt: '', wallTimeS: Number.NaN, env: {} })])
    );
    this._folderRuns = runs.slice(1).map(r => ({
      path: r.path,
      other: { label: r.label, group, snapshot: snapshots.get(r)! }
    }));
    node.appendChild(
      renderRunSet(
        overview,
        failures,
        {
          shownRow: overview.rows.findIndex(r => r.entry === 0),
          onOpen: row => this._openRequested.emit(runOf(row).path),
          onCompare: row => {
            const snapshot = snapshots.get(runOf(row));
            if (snapshot) {
              this._comparedWith = snapshot;
              this._showComparison();
              this._view.node
                .querySelector('.jp-AscendProfiler-comparison')
                ?.scrollIntoView({ block: 'nearest' });
            }
          }
        },
        trans
      )
    );
    this._showComparison();
  }

  /** A run's name from the opened folder down: the server path above it is the same for all. */
  private _runLabel(path: string): string {
    const prefix = this._request?.isFolder && this._request.path ? `${this._request.path}/` : '';
    return prefix && path.startsWith(prefix) ? path.slice(prefix.length) : path;
  }

  /** Stop reading or analysing: aborts the download and terminates the worker. */
  cancel(): void {
    const controller = this._controller;
    if (!controller) {
      return;
    }
    this._controller = null;
    controller.abort();
    const trans = this._trans;
    this._setState('cancelled');
    this._showStage(trans.__('Cancelled.'), null, false);
    this._view.showError(
      trans.__('Opening was cancelled'),
      trans.__('Nothing was analysed. Click “Open Again” to read the trace again.'),
      this._request?.path
    );
  }

  /** Cancel any work in flight, then dispose. */
  dispose(): void {
    if (this.isDisposed) {
      return;
    }
    this._controller?.abort();
    this._controller = null;
    this._runSetController?.abort();
    this._session?.dispose();
    this._session = null;
    window.cancelAnimationFrame(this._frame);
    this._leaveComparisons();
    Private.openTracesChanged.disconnect(this._showComparison, this);
    super.dispose();
  }

  /**
   * The other runs or ranks found beside the one shown, each a button that opens it in its own
   * tab (where the two can be compared); hidden when there are none.
   */
  private _showOtherRuns(paths: string[]): void {
    const node = this._otherRuns.node;
    node.textContent = '';
    if (paths.length === 0) {
      this._otherRuns.hide();
      return;
    }
    node.appendChild(
      el(
        'span',
        'jp-AscendProfiler-hint',
        this._trans.__('Also in this folder (open one to compare it with this one):')
      )
    );
    for (const path of paths) {
      const button = el(
        'button',
        'jp-Button jp-mod-styled jp-mod-reject',
        this._runLabel(path)
      ) as HTMLButtonElement;
      button.title = this._trans.__('Open %1 in its own tab', path);
      button.addEventListener('click', () => this._openRequested.emit(path));
      node.appendChild(button);
    }
    const all = el(
      'button',
      'jp-Button jp-mod-styled jp-mod-accept jp-AscendProfiler-readAll',
      this._trans.__('Read all %1 side by side', String(paths.length + 1))
    ) as HTMLButtonElement;
    all.title = this._trans.__(
      'Read every run of this folder, one after the other, and show their times side by side: which rank or run is slow, and in what'
    );
    all.addEventListener('click', () => void this._readAll(paths));
    node.appendChild(all);
    this._otherRuns.show();
  }

  /** Stop offering this trace to the other open traces for comparison. */
  private _leaveComparisons(): void {
    this._snapshot = null;
    if (Private.openTraces.delete(this)) {
      Private.openTracesChanged.emit(undefined);
    }
  }

  /** The comparison menu: this trace against any other open trace. */
  private _showComparison(): void {
    if (!this._snapshot || this.isDisposed) {
      return;
    }
    const views = [...Private.openTraces].filter(v => v._snapshot && v._request);
    const names = views.map(v => basename(v._request!.path));
    const others: IOtherProfile[] = [];
    views.forEach((view, i) => {
      if (view !== this) {
        // The file or folder name; the whole path when another open trace has the same name.
        const unique = names.indexOf(names[i]) === names.lastIndexOf(names[i]);
        others.push({ label: unique ? names[i] : view._request!.path, snapshot: view._snapshot! });
      }
    });
    // A run of the folder open in a tab of its own is offered once, as that tab.
    const openPaths = new Set(views.map(v => v._shown?.path));
    others.push(...this._folderRuns.filter(r => !openPaths.has(r.path)).map(r => r.other));
    this._view.showComparison([this._snapshot], this._snapshot.startedAt, {
      others,
      othersTitle: this._trans.__('Other open traces'),
      selfLabel: this._trans.__('this trace'),
      // Other tabs opening and closing redraw this menu; the user's pick stays.
      picked: this._comparedWith,
      onPick: snapshot => {
        this._comparedWith = snapshot;
      }
    });
  }

  /** Read the sibling files as text; one that cannot be read is skipped (the checklist lacks that fact). */
  private async _readSiblings(
    target: ITraceTarget,
    signal: AbortSignal,
    progress: (label: string, loaded: number, total: number | null) => void
  ): Promise<Record<string, string>> {
    const decoder = new TextDecoder();
    const files: Record<string, string> = {};
    for (const [key, path] of Object.entries(target.siblings)) {
      try {
        const bytes = await streamTraceFile(
          this._contents,
          path,
          (loaded, total) => progress(key, loaded, total),
          signal
        );
        files[key] = decoder.decode(bytes);
      } catch (reason) {
        if (signal.aborted) {
          throw reason;
        }
        // Skipped on purpose, see above.
      }
    }
    return files;
  }

  /** Progress of one download, drawn at most once a frame (chunks come much faster). */
  private _progress(name: string, loaded: number, total: number | null): void {
    this._pending = { name, loaded, total };
    if (this._frame) {
      return;
    }
    this._frame = window.requestAnimationFrame(() => {
      this._frame = 0;
      const pending = this._pending;
      if (!pending || this._state !== 'reading') {
        return;
      }
      const trans = this._trans;
      const p = describeProgress(pending.loaded, pending.total);
      const text =
        p.total === null
          ? trans.__('Reading %1: %2', pending.name, p.loaded)
          : trans.__('Reading %1: %2 of %3 (%4 %)', pending.name, p.loaded, p.total, String(p.percent));
      this._showStage(text, p.percent === null ? null : p.percent / 100);
    });
  }

  /** Show the status line; `fraction` null makes the bar indeterminate. */
  private _showStage(text: string, fraction: number | null, busy = true): void {
    this._label.textContent = text;
    this._bar.hidden = !busy;
    if (fraction === null) {
      this._bar.removeAttribute('value');
    } else {
      this._bar.value = fraction;
    }
    this._bar.setAttribute('aria-label', text);
    this._cancel.hidden = !busy;
    this._retry.hidden = busy;
    this._status.show();
  }

  private _showFailure(reason: unknown, path: string): void {
    const trans = this._trans;
    const kind =
      reason instanceof TraceFileError || reason instanceof AnalysisError
        ? reason.kind
        : 'internal';
    const message = reason instanceof Error ? reason.message : String(reason);
    const titles: Record<string, string> = {
      'not-found': trans.__('The trace file is gone'),
      network: trans.__('The trace could not be read from the server'),
      'too-large': trans.__('The trace is too large to analyse in the browser'),
      'not-json': trans.__('The trace file is not valid JSON'),
      'not-a-trace': trans.__('The file is not a profiler trace'),
      empty: trans.__('The trace file is empty')
    };
    this._fail(titles[kind] ?? trans.__('The trace could not be analysed'), message, path);
  }

  private _fail(title: string, message: string, path: string): void {
    this._setState('error');
    this._showStage(title, null, false);
    this._view.showError(title, message, path);
  }

  private _setState(state: TraceViewState): void {
    this._state = state;
    this.node.dataset.state = state;
    if (state === 'done' || state === 'idle') {
      this._status.hide();
    }
  }

  private _trans: TranslationBundle;
  private _status: Widget;
  private _label: HTMLElement;
  private _bar: HTMLProgressElement;
  private _cancel: HTMLButtonElement;
  private _retry: HTMLButtonElement;
  private _view: ProfileView;
  private _state: TraceViewState = 'idle';
  private _request: ITraceRequest | null = null;
  private _session: TraceSession | null = null;
  private _snapshot: IProfileSnapshot | null = null;
  private _comparedWith: IProfileSnapshot | null = null;
  private _otherRuns: Widget;
  /** The runs of the folder side by side, once read. */
  private _runSet: Widget;
  private _runSetController: AbortController | null = null;
  /** Where the run shown lives (run folder or trace file) and its summary. */
  private _shown: { path: string; summary: IProfileSummary } | null = null;
  /** The other runs of the folder, once read, offered in the comparison menu (by where they live). */
  private _folderRuns: { path: string; other: IOtherProfile }[] = [];
  private _openRequested = new Signal<this, string>(this);
  private _controller: AbortController | null = null;
  private _frame = 0;
  private _pending: { name: string; loaded: number; total: number | null } | null = null;
}

/**
 * A model factory whose context reads no file content: `fileFormat` null
 * makes the document context fetch metadata only. The model is read-only and
 * never dirty, so closing the tab asks nothing.
 */
export class TraceModelFactory implements DocumentRegistry.IModelFactory<DocumentRegistry.IModel> {
  /** The factory name, {@link TRACE_MODEL_FACTORY}. */
  readonly name = TRACE_MODEL_FACTORY;
  /** Traces are plain files. */
  readonly contentType: Contents.ContentType = 'file';
  /** Null: the context must not read the content (the view streams it). */
  readonly fileFormat: Contents.FileFormat = null;
  /** A trace view is not edited together. */
  readonly collaborative = false;

  /** Whether the factory is disposed. */
  get isDisposed(): boolean {
    return this._disposed;
  }

  /** Dispose the factory. */
  dispose(): void {
    this._disposed = true;
  }

  /** An empty read-only model: the content stays on the server. */
  createNew(options: DocumentRegistry.IModelOptions = {}): DocumentRegistry.IModel {
    const model = new DocumentModel({ ...options, collaborationEnabled: false } as any);
    model.readOnly = true;
    return model;
  }

  /** No language: nothing is edited. */
  preferredLanguage(): string {
    return '';
  }

  private _disposed = false;
}

/** The document tab of a trace file. */
export class TraceDocumentWidget extends DocumentWidget<TraceView> {}

/** Options of {@link TraceWidgetFactory}. */
export interface ITraceWidgetFactoryOptions
  extends DocumentRegistry.IWidgetFactoryOptions<TraceDocumentWidget> {
  /** The app's contents manager. */
  contents: Contents.IManager;
}

/** Creates the document tab of a trace file; the file is read once the context is ready. */
export class TraceWidgetFactory extends ABCWidgetFactory<TraceDocumentWidget> {
  /**
   * @param options Factory options plus the contents manager.
   */
  constructor(options: ITraceWidgetFactoryOptions) {
    super(options);
    this._contents = options.contents;
  }

  protected createNewWidget(context: DocumentRegistry.Context): TraceDocumentWidget {
    const content = new TraceView(this._contents, this.translator);
    const widget = new TraceDocumentWidget({ context, content, translator: this.translator });
    widget.addClass('jp-AscendProfiler-traceTab');
    widget.title.icon = profileIcon;
    void context.ready.then(() => {
      if (!content.isDisposed) {
        void content.open({
          path: context.path,
          isFolder: false,
          sizeHint: context.contentsModel?.size ?? null
        });
      }
    });
    return widget;
  }

  private _contents: Contents.IManager;
}

/**
 * A tab showing the profile of a folder (`*_ascend_pt`, ASCEND_PROFILER_OUTPUT,
 * or a folder holding a trace). Title: the folder name; icon: ours.
 *
 * @param contents The app's contents manager.
 * @param path Server path of the folder.
 * @param translator For the user-visible strings.
 */
export function createFolderTraceWidget(
  contents: Contents.IManager,
  path: string,
  translator: ITranslator | null = null
): MainAreaWidget<TraceView> {
  const content = new TraceView(contents, translator);
  const widget = new MainAreaWidget({ content });
  widget.id = `ascend-profiler-folder-${Private.nextId++}`;
  widget.addClass('jp-AscendProfiler-traceTab');
  widget.title.label = basename(path) || '/';
  widget.title.caption = path || '/';
  widget.title.icon = profileIcon;
  widget.title.closable = true;
  void content.open({ path, isFolder: true });
  return widget;
}

namespace Private {
  /** Counter for unique folder tab ids. */
  export let nextId = 0;

  /** Trace views showing a profile, which the others offer to compare with. */
  export const openTraces = new Set<TraceView>();

  /** Emitted when a trace view starts or stops showing a profile. */
  export const openTracesChanged = new Signal<typeof openTraces, void>(openTraces);

  /**
   * Where a run lives, as the folder's other runs are named: its `*_ascend_pt`
   * folder for an Ascend run, else its trace file.
   */
  export function runPathOf(target: ITraceTarget): string {
    return basename(dirname(target.tracePath)) === ASCEND_OUTPUT_DIR ? target.runDir : target.tracePath;
  }

  /** The bundle ProfileView's header and footer read, for a trace opened from the file browser. */
  export function bundleFor(
    target: ITraceTarget,
    bytes: number,
    summary: IProfileBundle['summary'] & object
  ): IProfileBundle {
    return {
      version: 1,
      status: 'ok',
      error: null,
      backend: summary.backend,
      trace_path: target.tracePath,
      run_dir: target.runDir,
      trace_bytes: bytes,
      device: summary.device,
      versions: {},
      env: {},
      // Unknown: the trace was not captured here. The header shows "–".
      wall_time_s: Number.NaN,
      cell_error: null,
      started_at: '',
      profiler: {}
    };
  }
}
