/**
 * The profile view: header, time breakdown, timeline, checklist and top
 * operators of one profile.
 *
 * A thin Lumino widget over plain DOM. Every string that comes from a trace
 * (op names, lane labels, paths) is written as text, never as HTML:
 * persisted outputs render in untrusted notebooks.
 */
import { Widget } from '@lumino/widgets';
import type { TranslationBundle } from '@jupyterlab/translation';
import type { IFinding } from '../analysis/finding';
import type { IProfileSummary } from '../analysis/summary';
import type { IProfileBundle, IRemedyDetail } from '../tokens';
import type { IProfileSnapshot } from '../analysis/compare';
import { renderBreakdown } from './breakdownView';
import { renderComparison, type IComparisonOptions } from './comparisonView';
import { el } from './dom';
import { formatShare, formatUs } from './format';
import { isTimelineRow, timelineSpec, uniqueLaneNames, type ITimelineTheme } from './timelineSpec';
import type { TraceSession } from '../worker/traceSession';
import { attachZoomDetail, ZOOM_SIGNAL, type IZoomDetail } from './zoomDetail';
import { renderCounters } from './countersView';
import { renderTopOps } from './topOpsView';
import { describeFinding, workNames } from './wording';

/** CSS class of the view's root. */
const VIEW_CLASS = 'jp-AscendProfiler-view';

/** Width change, px, below which the timeline is not redrawn. */
const RESIZE_TOLERANCE_PX = 4;

/** Wait after the last resize before redrawing, ms. */
const RESIZE_DEBOUNCE_MS = 120;

/** How often to check whether the new theme's colours have arrived, ms. */
const THEME_POLL_MS = 100;

/** Longest wait for the new theme's colours before redrawing anyway, ms. */
const THEME_WAIT_MS = 3000;

/** Share of the evidence range added on each side when zooming to a finding. */
const ZOOM_PADDING_SHARE = 0.15;

/** Share of the run by which the visible range may miss its ends and still count as the whole run. */
const WHOLE_RUN_SLACK = 0.002;

/** What the checklist can do with a finding's remedies (given by the notebook around the view). */
export interface IRemedyActions {
  /** Insert a cell below with the settings; false when the output's cell is gone. */
  apply(remedies: string[]): boolean;
  /** Whether some of the settings act only in a new process. */
  needsRestart(remedies: string[]): boolean;
  /** What each setting is, to show before it is applied. */
  details(remedies: string[]): IRemedyDetail[];
  /** Restart the kernel with the settings at the top and profile again; absent where unavailable. */
  restartAndApply?(remedies: string[]): Promise<boolean>;
  /** Profile in a child process started with the settings; absent where unavailable. */
  profileInFreshProcess?(remedies: string[]): Promise<boolean>;
}

/** Receives a PNG (base64, no data-URL prefix) of the first full-view timeline. */
export type TimelineImageSink = (pngBase64: string) => void;

/** The inline profile view. */
export class ProfileView extends Widget {
  /**
   * @param _trans Translation bundle of our domain.
   */
  constructor(private readonly _trans: TranslationBundle) {
    super();
    this.addClass(VIEW_CLASS);
    // Vega marks do not follow CSS variables: re-render when the theme changes.
    this._themeObserver = new MutationObserver(() => this._onThemeChange());
    this._themeObserver.observe(document.body, {
      attributes: true,
      attributeFilter: ['data-jp-theme-light', 'data-jp-theme-name']
    });
    // Vega sizes a 'container'-wide chart once, when embedded. Outputs are often
    // embedded before they are laid out (notebook reopen, windowed cells), so
    // redraw when the width really changes.
    this._resizeObserver = new ResizeObserver(entries => {
      const width = Math.round(entries[entries.length - 1].contentRect.width);
      if (width > 0 && Math.abs(width - this._drawnWidth) > RESIZE_TOLERANCE_PX) {
        window.clearTimeout(this._resizeTimer);
        this._resizeTimer = window.setTimeout(
          () => this._renderTimeline(),
          RESIZE_DEBOUNCE_MS
        );
      }
    });
  }

  /** Show a progress line while the trace is read and analysed. */
  showProgress(message: string): void {
    this._reset();
    const p = el('div', 'jp-AscendProfiler-progress', message);
    p.setAttribute('role', 'status');
    this.node.appendChild(p);
  }

  /** Show why there is no profile to see. */
  showError(title: string, message: string, path?: string | null): void {
    this._reset();
    const box = el('div', 'jp-AscendProfiler-error');
    box.setAttribute('role', 'alert');
    box.appendChild(el('div', 'jp-AscendProfiler-errorTitle', title));
    box.appendChild(el('div', 'jp-AscendProfiler-errorMessage', message));
    if (path) {
      box.appendChild(el('code', 'jp-AscendProfiler-path', path));
    }
    this.node.appendChild(box);
  }

  /**
   * Show a profile.
   *
   * @param apply Inserts a remedy cell; null hides the Apply buttons.
   * @param onImage Gets a PNG of the first full-view timeline (for the saved output).
   */
  showProfile(
    bundle: IProfileBundle,
    summary: IProfileSummary,
    apply: IRemedyActions | null,
    onImage: TimelineImageSink | null = null
  ): void {
    this._reset();
    this._summary = summary;
    this._onImage = onImage;
    const trans = this._trans;
    this.node.appendChild(this._header(bundle, summary));
    const top = summary.findings.find(f => f.severity !== 'ok');
    if (top) {
      this.node.appendChild(
        el(
          'div',
          'jp-AscendProfiler-topFinding',
          trans.__('Top finding: %1', describeFinding(top, trans).title)
        )
      );
    }
    // Filled by showComparison once the run's history is known.
    this._comparisonHost = this.node.appendChild(el('div', 'jp-AscendProfiler-comparisonHost'));
    if (bundle.cell_error) {
      this.node.appendChild(
        el(
          'div',
          'jp-AscendProfiler-note',
          trans.__(
            'The profiled code raised %1; the trace covers the run up to that point.',
            bundle.cell_error
          )
        )
      );
    }
    for (const warning of summary.warnings) {
      this.node.appendChild(el('div', 'jp-AscendProfiler-note', warning));
    }
    // Without a device every microsecond is host time: the breakdown would say nothing.
    if (summary.breakdown && summary.hasDevice) {
      this.node.appendChild(
        el('div', 'jp-AscendProfiler-sectionTitle', trans.__('Where the time went'))
      );
      this.node.appendChild(renderBreakdown(summary.breakdown, summary.hasDevice, trans));
    }

    this.node.appendChild(el('div', 'jp-AscendProfiler-sectionTitle', trans.__('Timeline')));
    const tools = el('div', 'jp-AscendProfiler-timelineTools');
    tools.appendChild(
      el(
        'span',
        'jp-AscendProfiler-hint',
        trans.__('Drag to pan, scroll to zoom, double-click to reset.')
      )
    );
    this._resetZoom = el(
      'button',
      'jp-Button jp-mod-styled jp-mod-reject jp-AscendProfiler-resetZoom',
      trans.__('Show the whole run')
    ) as HTMLButtonElement;
    this._resetZoom.hidden = true;
    this._resetZoom.addEventListener('click', () => this.zoomTo(null));
    this._visibleRange = el('span', 'jp-AscendProfiler-visibleRange');
    this._visibleRange.setAttribute('aria-live', 'polite');
    tools.appendChild(this._visibleRange);
    tools.appendChild(this._resetZoom);
    this.node.appendChild(tools);
    const timeline = el('div', 'jp-AscendProfiler-timeline');
    // vega-embed labels its own node; the lane list goes on the wrapper.
    this._timelineHost = timeline.appendChild(el('div', 'jp-AscendProfiler-timelineChart'));
    this.node.appendChild(timeline);

    this.node.appendChild(
      el('div', 'jp-AscendProfiler-sectionTitle', trans.__('Tuning checklist'))
    );
    this.node.appendChild(this._checklist(summary.findings, apply));
    if (summary.topOps.host.length + summary.topOps.device.length > 0) {
      this.node.appendChild(
        el('div', 'jp-AscendProfiler-sectionTitle', trans.__('Top operators'))
      );
      this.node.appendChild(renderTopOps(summary.topOps, trans));
    }
    if (summary.counters && summary.counters.length > 0) {
      this.node.appendChild(el('div', 'jp-AscendProfiler-sectionTitle', trans.__('Counters')));
      this.node.appendChild(renderCounters(summary.counters, trans));
    }
    if (bundle.run_dir) {
      this.node.appendChild(
        el('div', 'jp-AscendProfiler-footer', trans.__('Run folder: %1', bundle.run_dir))
      );
    }
    this._renderTimeline();
  }

  /**
   * Give the view a live analysis of its trace, so zooming in shows the real
   * slices instead of the overview's merged marks. The caller keeps owning
   * (and disposes) the session.
   */
  setSession(session: TraceSession | null): void {
    this._session = session;
    this._renderTimeline();
  }

  /**
   * Show the before/after table against earlier runs of the same cell, or
   * any profile kept by another cell of the notebook.
   *
   * @param history Runs of the cell, oldest first, including this one.
   * @param currentStartedAt Start of the run this view shows.
   * @param options Profiles kept elsewhere and how to name them.
   */
  showComparison(
    history: IProfileSnapshot[],
    currentStartedAt: string,
    options: IComparisonOptions = {}
  ): void {
    const host = this._comparisonHost;
    if (!host) {
      return;
    }
    host.textContent = '';
    const section = renderComparison(history, currentStartedAt, this._trans, options);
    if (section) {
      host.appendChild(el('div', 'jp-AscendProfiler-sectionTitle', this._trans.__('Before / after')));
      host.appendChild(section);
    }
  }

  /**
   * Zoom the timeline to a time range (µs from the trace origin), or back to
   * the whole run with null.
   */
  zoomTo(range: [number, number] | null): void {
    this._domainUs = range;
    if (this._resetZoom) {
      this._resetZoom.hidden = range === null;
    }
    this._renderTimeline();
  }

  /** Release the Vega view and the observers. */
  dispose(): void {
    if (this.isDisposed) {
      return;
    }
    this._themeObserver.disconnect();
    window.clearInterval(this._themeTimer);
    this._resizeObserver.disconnect();
    window.clearTimeout(this._resizeTimer);
    this._finalizeVega();
    super.dispose();
  }

  private _header(bundle: IProfileBundle, summary: IProfileSummary): HTMLElement {
    const trans = this._trans;
    const header = el('div', 'jp-AscendProfiler-header');
    const backendName: Record<string, string> = {
      ascend: trans.__('Ascend NPU'),
      cuda: trans.__('CUDA GPU'),
      rocm: trans.__('ROCm GPU'),
      cpu: trans.__('CPU only')
    };
    const facts: [string, string][] = [
      [trans.__('Backend'), backendName[summary.backend] ?? summary.backend],
      [trans.__('Device'), summary.device || bundle.device || '–'],
      [trans.__('Wall time'), formatUs(bundle.wall_time_s * 1e6)],
      [trans.__('Trace span'), formatUs(summary.spanUs)],
      [
        trans.__('Device busy'),
        summary.hasDevice && summary.spanUs > 0
          ? formatShare(summary.deviceBusyUs / summary.spanUs)
          : trans.__('no device timeline')
      ],
      [trans.__('Events'), summary.events.toLocaleString()]
    ];
    for (const [name, value] of facts) {
      const item = el('span', 'jp-AscendProfiler-fact');
      item.appendChild(el('span', 'jp-AscendProfiler-factName', name));
      item.appendChild(el('span', 'jp-AscendProfiler-factValue', value));
      header.appendChild(item);
    }
    return header;
  }

  /**
   * The checklist: problems first (ranked by the rules' order, i.e. by saving),
   * then the checks that passed, then those the trace cannot show, so the user
   * sees what was ruled out without wading through it.
   */
  private _checklist(findings: IFinding[], apply: IRemedyActions | null): HTMLElement {
    const trans = this._trans;
    const root = el('div', 'jp-AscendProfiler-checklist');
    const problems = findings.filter(f => f.severity !== 'ok');
    const notApplicable = findings.filter(
      f => f.severity === 'ok' && f.variant === 'not-applicable'
    );
    const passed = findings.filter(
      f => f.severity === 'ok' && f.variant !== 'not-applicable'
    );
    if (problems.length > 0) {
      root.appendChild(this._findingList(problems, apply));
    } else {
      root.appendChild(
        el('div', 'jp-AscendProfiler-allClear', trans.__('No problem found by the checks below.'))
      );
    }
    const group = (title: string, list: IFinding[], open: boolean): void => {
      if (list.length === 0) {
        return;
      }
      const details = el('details', 'jp-AscendProfiler-checkGroup') as HTMLDetailsElement;
      details.open = open;
      details.appendChild(el('summary', '', title));
      details.appendChild(this._findingList(list, apply));
      root.appendChild(details);
    };
    group(trans.__('Checks passed (%1)', String(passed.length)), passed, problems.length === 0);
    group(
      trans.__('Checks this trace cannot show (%1)', String(notApplicable.length)),
      notApplicable,
      false
    );
    return root;
  }

  private _findingList(findings: IFinding[], apply: IRemedyActions | null): HTMLElement {
    const trans = this._trans;
    const list = el('ul', 'jp-AscendProfiler-findings');
    for (const finding of findings) {
      const text = describeFinding(finding, trans);
      const item = el('li', 'jp-AscendProfiler-finding');
      item.dataset.findingId = finding.id;
      item.dataset.severity = finding.severity;
      const head = el('div', 'jp-AscendProfiler-findingHead');
      head.appendChild(
        el('span', 'jp-AscendProfiler-severity', Private.severityLabel(finding.severity, trans))
      );
      head.appendChild(el('span', 'jp-AscendProfiler-findingTitle', text.title));
      if (finding.savingUs > 0) {
        head.appendChild(
          el('span', 'jp-AscendProfiler-saving', trans.__('up to %1', formatUs(finding.savingUs)))
        );
      }
      item.appendChild(head);
      item.appendChild(el('div', 'jp-AscendProfiler-findingDetail', text.detail));
      if (finding.remedies.length > 0 && apply) {
        const details = apply.details(finding.remedies);
        if (details.length > 0) {
          item.appendChild(this._remedyList(details));
        }
      }
      if (text.after && finding.remedies.length > 0) {
        item.appendChild(el('div', 'jp-AscendProfiler-findingAfter', text.after));
      }
      const actions = el('div', 'jp-AscendProfiler-findingActions');
      const range = Private.evidenceRange(finding);
      if (range) {
        const show = el(
          'button',
          'jp-Button jp-mod-styled jp-mod-reject jp-AscendProfiler-showEvidence',
          trans.__('Show on timeline')
        ) as HTMLButtonElement;
        show.addEventListener('click', () => {
          this.zoomTo(range);
          this._timelineHost?.scrollIntoView({ block: 'nearest' });
        });
        actions.appendChild(show);
      }
      if (finding.remedies.length > 0 && apply) {
        const button = el(
          'button',
          'jp-Button jp-mod-styled jp-mod-accept jp-AscendProfiler-apply',
          trans.__('Apply: insert the suggested settings below')
        ) as HTMLButtonElement;
        button.title = trans.__(
          'Insert a code cell below with the suggested settings and what each one needs (a kernel restart or not)'
        );
        button.addEventListener('click', () => {
          if (!apply.apply(finding.remedies)) {
            button.textContent = trans.__('Could not find the cell of this output');
          }
        });
        actions.appendChild(button);
        if (apply.needsRestart(finding.remedies)) {
          this._restartActions(finding.remedies, apply, actions, item);
        }
      }
      if (actions.childElementCount > 0) {
        item.appendChild(actions);
      }
      list.appendChild(item);
    }
    return list;
  }

  /** The suggested settings with their code and what each needs, folded by default. */
  private _remedyList(details: IRemedyDetail[]): HTMLElement {
    const trans = this._trans;
    const box = el('details', 'jp-AscendProfiler-remedies');
    box.appendChild(
      el('summary', '', trans.__('Suggested settings (%1)', String(details.length)))
    );
    const restartLabel: Record<string, string> = {
      none: trans.__('no restart'),
      kernel: trans.__('kernel restart'),
      process: trans.__('new process')
    };
    for (const d of details) {
      const row = el('div', 'jp-AscendProfiler-remedy');
      row.dataset.remedyId = d.id;
      row.appendChild(el('span', 'jp-AscendProfiler-remedyTitle', d.title));
      const badge = el('span', 'jp-AscendProfiler-restartBadge', restartLabel[d.restart] ?? d.restart);
      badge.dataset.restart = d.restart;
      row.appendChild(badge);
      const needs = Object.entries(d.requires);
      if (needs.length > 0) {
        row.appendChild(
          el(
            'span',
            'jp-AscendProfiler-requires',
            trans.__('needs %1', needs.map(([k, v]) => `${k} ≥ ${v}`).join(', '))
          )
        );
      }
      row.appendChild(el('pre', 'jp-AscendProfiler-remedyCode', d.code.join('\n')));
      box.appendChild(row);
    }
    return box;
  }

  /**
   * Buttons for settings that a running kernel cannot pick up (environment
   * variables; in Jupyter, `import torch_npu` even resets TASK_QUEUE_ENABLE
   * to 0), with a sentence saying why.
   */
  private _restartActions(
    remedies: string[],
    actions: IRemedyActions,
    bar: HTMLElement,
    item: HTMLElement
  ): void {
    const trans = this._trans;
    item.appendChild(
      el(
        'div',
        'jp-AscendProfiler-restartNote',
        trans.__(
          'Some of these settings are environment variables, read once when the device starts: a cell in this kernel cannot change them (in Jupyter, import torch_npu even resets TASK_QUEUE_ENABLE to 0). Restart the kernel with them, or profile the cell in a fresh process.'
        )
      )
    );
    const flow = (
      label: string,
      caption: string,
      run: ((remedies: string[]) => Promise<boolean>) | undefined
    ): void => {
      if (!run) {
        return;
      }
      const button = el(
        'button',
        'jp-Button jp-mod-styled jp-mod-reject jp-AscendProfiler-restartFlow',
        label
      ) as HTMLButtonElement;
      button.title = caption;
      button.addEventListener('click', () => {
        button.disabled = true;
        run(remedies)
          .catch(() => false)
          .finally(() => {
            if (!this.isDisposed) {
              button.disabled = false;
            }
          });
      });
      bar.appendChild(button);
    };
    flow(
      trans.__('Restart kernel and apply'),
      trans.__(
        'Put the settings in a cell at the top of the notebook, restart the kernel, run the notebook up to this cell and profile it again'
      ),
      actions.restartAndApply?.bind(actions)
    );
    flow(
      trans.__('Profile in a fresh process'),
      trans.__(
        'Run the notebook code up to this cell in a new Python process started with the settings, and show its profile here; this kernel keeps running as it is'
      ),
      actions.profileInFreshProcess?.bind(actions)
    );
  }

  private _renderTimeline(): void {
    const host = this._timelineHost;
    const summary = this._summary;
    if (!host || !summary || this.isDisposed) {
      return;
    }
    const trans = this._trans;
    const generation = ++this._generation;
    // The canvas is opaque to screen readers: name the lanes in a label.
    const wrapper = host.parentElement!;
    wrapper.setAttribute('role', 'figure');
    wrapper.setAttribute(
      'aria-label',
      trans.__(
        'Timeline with %1 lanes: %2',
        String(summary.lanes.filter(isTimelineRow).length),
        summary.lanes
          .filter(isTimelineRow)
          .map(l => l.label)
          .join('; ')
      )
    );
    this._resizeObserver.disconnect();
    this._resizeObserver.observe(host);
    const width = host.getBoundingClientRect().width;
    if (width <= 0) {
      // Not laid out yet: the resize observer draws it once it has a width.
      return;
    }
    this._drawnWidth = Math.round(width);
    const style = getComputedStyle(document.body);
    const css = (name: string, fallback: string): string =>
      style.getPropertyValue(name).trim() || fallback;
    this._drawnTextColor = css('--jp-ui-font-color1', '#333');
    const theme: ITimelineTheme = {
      textColor: this._drawnTextColor,
      gridColor: css('--jp-border-color2', '#ccc'),
      fontFamily: css('--jp-ui-font-family', 'sans-serif'),
      alertColor: css('--jp-error-color1', '#d32f2f'),
      stepColor: css('--jp-ui-font-color2', '#888'),
      idleColor: css('--jp-warn-color1', '#f57c00')
    };
    const highlights = summary.findings
      .filter(f => f.id === 'sync-wait' && f.severity !== 'ok')
      .flatMap(f => f.highlights);
    const spec = timelineSpec(
      summary,
      theme,
      {
        time: trans.__('time (ms)'),
        work: trans.__('kind of work'),
        name: trans.__('name'),
        lane: trans.__('lane'),
        duration: trans.__('duration (ms)'),
        slices: trans.__('slices'),
        syncWait: trans.__('host waiting for the device'),
        step: trans.__('step'),
        idleGap: trans.__('device idle, no work queued yet'),
        next: trans.__('next device work'),
        launchedBy: trans.__('launched by'),
        workNames: workNames(trans)
      },
      highlights,
      this._domainUs,
      this._session && !this._session.isDisposed ? this._session.workKinds : null,
      summary.findings
        .filter(f => f.id === 'host-bound' && f.severity !== 'ok')
        .flatMap(f => f.highlights)
    );
    const wantImage = this._onImage !== null && this._domainUs === null;
    void Private.ensureVegaEmbed()
      .then(async embed => {
        if (generation !== this._generation || this.isDisposed) {
          return;
        }
        this._finalizeVega();
        host.textContent = '';
        const result = await embed(host, spec as any, {
          actions: false,
          renderer: 'canvas',
          tooltip: { theme: document.body.dataset.jpThemeLight === 'false' ? 'dark' : 'light' }
        });
        if (generation !== this._generation || this.isDisposed) {
          result.finalize();
          return;
        }
        this._vega = result;
        // Drag and wheel zoom change the x scale inside Vega; say what is shown, and offer the
        // way back, as for a zoom to a finding's evidence.
        const onZoom = () => this._showVisibleRange(result.view.scale('x').domain(), summary.spanUs);
        result.view.addSignalListener(ZOOM_SIGNAL, onZoom);
        this._stopRangeLabel = () => result.view.removeSignalListener(ZOOM_SIGNAL, onZoom);
        onZoom();
        const session = this._session;
        if (session && !session.isDisposed) {
          this._zoomDetail = attachZoomDetail(result.view, session, {
            laneNames: uniqueLaneNames(summary.lanes.map(l => l.label)),
            workNames: workNames(trans),
            spanUs: summary.spanUs
          });
          if (this._domainUs) {
            // Embedded already zoomed in (a finding's evidence): load the detail now.
            void this._zoomDetail.refresh();
          }
        }
        if (wantImage && this._onImage) {
          const sink = this._onImage;
          this._onImage = null;
          const url = await result.view.toImageURL('png');
          sink(url.slice(url.indexOf(',') + 1));
        }
      })
      .catch((reason: unknown) => {
        host.textContent = trans.__(
          'The timeline could not be drawn (%1). The checklist below is complete.',
          String(reason)
        );
      });
  }

  /**
   * JupyterLab flips the theme attributes on <body> before the new theme's
   * stylesheet has loaded, so the `--jp-*` values are briefly the old ones.
   * Redraw once they really changed (checked every THEME_POLL_MS, for at most
   * THEME_WAIT_MS; then redraw anyway).
   */
  private _onThemeChange(): void {
    window.clearInterval(this._themeTimer);
    const started = Date.now();
    this._themeTimer = window.setInterval(() => {
      const color = getComputedStyle(document.body).getPropertyValue('--jp-ui-font-color1').trim();
      if (color !== this._drawnTextColor || Date.now() - started > THEME_WAIT_MS) {
        window.clearInterval(this._themeTimer);
        this._renderTimeline();
      }
    }, THEME_POLL_MS);
  }

  /**
   * Show the visible time range (`domainMs`, the x scale's domain) beside the
   * reset button, which shows whenever the chart is zoomed in.
   */
  private _showVisibleRange(domainMs: number[], spanUs: number): void {
    if (!this._visibleRange || !this._resetZoom) {
      return;
    }
    const [fromUs, toUs] = [domainMs[0] * 1000, domainMs[1] * 1000];
    // A fraction of a percent is rounding in the scale, not a zoom.
    const slack = spanUs * WHOLE_RUN_SLACK;
    const whole = fromUs <= slack && toUs >= spanUs - slack;
    this._visibleRange.textContent = whole
      ? ''
      : this._trans.__(
          'Showing %1 to %2 of %3',
          formatUs(Math.max(0, fromUs)),
          formatUs(Math.min(spanUs, toUs)),
          formatUs(spanUs)
        );
    // After a zoom to a finding's evidence the way back stays, even when the evidence spans the run.
    this._resetZoom.hidden = whole && this._domainUs === null;
  }

  private _finalizeVega(): void {
    this._stopRangeLabel?.();
    this._stopRangeLabel = null;
    this._zoomDetail?.dispose();
    this._zoomDetail = null;
    this._vega?.finalize();
    this._vega = null;
  }

  private _reset(): void {
    this._generation++;
    this._finalizeVega();
    this._summary = null;
    this._timelineHost = null;
    this._resetZoom = null;
    this._visibleRange = null;
    this._comparisonHost = null;
    this._domainUs = null;
    this._onImage = null;
    this._session = null;
    this.node.textContent = '';
  }

  private _themeObserver: MutationObserver;
  private _resizeObserver: ResizeObserver;
  private _resizeTimer = 0;
  private _themeTimer = 0;
  private _drawnTextColor = '';
  private _drawnWidth = 0;
  private _summary: IProfileSummary | null = null;
  private _timelineHost: HTMLElement | null = null;
  private _resetZoom: HTMLButtonElement | null = null;
  private _visibleRange: HTMLElement | null = null;
  private _stopRangeLabel: (() => void) | null = null;
  private _comparisonHost: HTMLElement | null = null;
  private _domainUs: [number, number] | null = null;
  private _onImage: TimelineImageSink | null = null;
  private _vega: { finalize(): void } | null = null;
  private _zoomDetail: IZoomDetail | null = null;
  private _session: TraceSession | null = null;
  private _generation = 0;
}

namespace Private {
  /** Translated severity badge. */
  export function severityLabel(severity: string, trans: TranslationBundle): string {
    switch (severity) {
      case 'high':
        return trans.__('high');
      case 'medium':
        return trans.__('medium');
      case 'low':
        return trans.__('low');
      default:
        return trans.__('ok');
    }
  }

  /** The time range covering a finding's highlights, padded; null without any. */
  export function evidenceRange(finding: IFinding): [number, number] | null {
    if (finding.highlights.length === 0) {
      return null;
    }
    let a = Infinity;
    let b = -Infinity;
    for (const h of finding.highlights) {
      a = Math.min(a, h.start);
      b = Math.max(b, h.end);
    }
    const pad = Math.max((b - a) * ZOOM_PADDING_SHARE, 1);
    return [Math.max(0, a - pad), b + pad];
  }

  type Embed = typeof import('vega-embed').default;
  let embedPromise: Promise<Embed> | null = null;

  /** Load vega-embed once, lazily, from JupyterLab's shared copy. */
  export function ensureVegaEmbed(): Promise<Embed> {
    if (!embedPromise) {
      embedPromise = import('vega-embed').then(m => m.default);
      embedPromise.catch(() => {
        embedPromise = null;
      });
    }
    return embedPromise;
  }
}
