/**
 * Plugin wiring only: the "Profile this cell" command, its palette entry, the
 * renderer of our MIME type in every notebook, and the settings.
 */
import type {
  JupyterFrontEnd,
  JupyterFrontEndPlugin
} from '@jupyterlab/application';
import { ICommandPalette, Notification, SessionContextDialogs } from '@jupyterlab/apputils';
import { type Cell, type ICodeCellModel } from '@jupyterlab/cells';
import { INotebookTracker, NotebookActions, type NotebookPanel } from '@jupyterlab/notebook';
import { IRenderMimeRegistry } from '@jupyterlab/rendermime';
import type { Kernel } from '@jupyterlab/services';
import { Signal } from '@lumino/signaling';
import { ISettingRegistry } from '@jupyterlab/settingregistry';
import { ITranslator, nullTranslator } from '@jupyterlab/translation';
import { profileIcon } from './icons';
import { buildProfilingCell, PROFILING_CELL_MARKER } from './kernel/profilingCell';
import { buildRemedyCell, remedyDetails } from './kernel/remedies';
import { profileInFreshProcess } from './kernel/freshProcess';
import { needsRestart, profiledCellIndexOf, restartAndApply } from './kernel/restartApply';
import { watchForRestart } from './kernel/restartWatch';
import { addToHistory, type IProfileSnapshot } from './analysis/compare';
import { kernelFileChunks, readFileViaKernel } from './kernel/kernelFiles';
import { readTraceFile, resolvedTraceChunks, type TraceFileError } from './kernel/traceFiles';
import { parseSettings } from './settings';
import {
  CommandIDs,
  DEFAULT_SETTINGS,
  PLUGIN_ID,
  TRANSLATION_DOMAIN,
  type IProfileHost,
  type IProfilerSettings
} from './tokens';
import { createRendererFactory } from './view/renderer';
import { askProfileOptions } from './view/ProfileOptionsDialog';
import openTracePlugin from './openTrace';

/** Rank of our renderer: ahead of markdown and plain text fallbacks in the bundle. */
const RENDERER_RANK = 40;

/** Metadata key on cells we insert. */
const CELL_METADATA_KEY = 'ascend_profiler';

const plugin: JupyterFrontEndPlugin<void> = {
  id: PLUGIN_ID,
  description:
    'Profile a notebook cell on Ascend NPU, CUDA or CPU and show an inline timeline with a tuning checklist.',
  autoStart: true,
  requires: [INotebookTracker, IRenderMimeRegistry],
  optional: [ICommandPalette, ISettingRegistry, ITranslator],
  activate
};

/** Wire commands, renderers and settings. */
function activate(
  app: JupyterFrontEnd,
  tracker: INotebookTracker,
  rendermime: IRenderMimeRegistry,
  palette: ICommandPalette | null,
  settingRegistry: ISettingRegistry | null,
  translator: ITranslator | null
): void {
  translator = translator ?? nullTranslator;
  const trans = translator.load(TRANSLATION_DOMAIN);
  let settings: IProfilerSettings = { ...DEFAULT_SETTINGS };

  if (settingRegistry) {
    settingRegistry
      .load(PLUGIN_ID)
      .then(loaded => {
        const update = () => {
          settings = parseSettings(loaded.composite);
        };
        update();
        loaded.changed.connect(update);
      })
      .catch(reason => {
        console.error(`${PLUGIN_ID}: settings could not be loaded, using defaults.`, reason);
      });
  }

  // Outputs outside notebooks (output views, consoles) can show saved summaries
  // and read traces, but have no cell to insert a remedy below.
  rendermime.addFactory(
    createRendererFactory(Private.makeHost(null, translator, () => settings)),
    RENDERER_RANK
  );
  const bindRenderer = (panel: NotebookPanel) => {
    panel.content.rendermime.addFactory(
      createRendererFactory(Private.makeHost(panel, translator!, () => settings)),
      RENDERER_RANK
    );
  };
  tracker.forEach(bindRenderer);
  tracker.widgetAdded.connect((_, panel) => bindRenderer(panel));

  const sessionDialogs = new SessionContextDialogs({ translator });
  const isCodeCell = () => tracker.activeCell?.model.type === 'code';

  app.commands.addCommand(CommandIDs.profileCell, {
    label: trans.__('Profile This Cell'),
    caption: trans.__(
      'Run this cell under the profiler (Ascend NPU, CUDA or CPU) in a new cell below and show where the time goes'
    ),
    icon: args => (args.toolbar ? profileIcon : undefined),
    isEnabled: isCodeCell,
    isVisible: isCodeCell,
    describedBy: {
      args: {
        type: 'object',
        properties: {
          toolbar: {
            type: 'boolean',
            description: trans.__('Whether the command is shown in a toolbar (icon only)')
          }
        }
      }
    },
    execute: async () => {
      const panel = tracker.currentWidget;
      const cell = tracker.activeCell;
      if (!panel || !cell || cell.model.type !== 'code') {
        return;
      }
      await profile(panel, cell, settings);
    }
  });

  /** Insert the profiling cell for `cell` with `options` and run it. */
  const profile = async (panel: NotebookPanel, cell: Cell, options: IProfilerSettings) => {
    const index = await Private.insertProfilingCell(panel, cell, options, trans);
    if (index < 0) {
      return;
    }
    const notebook = panel.content;
    notebook.deselectAll();
    notebook.activeCellIndex = index;
    const profilingCell = notebook.widgets[index];
    const restart = watchForRestart(panel.sessionContext);
    try {
      await NotebookActions.run(notebook, panel.sessionContext, sessionDialogs, translator!);
    } finally {
      restart.dispose();
    }
    if (restart.restarted && !profilingCell.isDisposed && profilingCell.model.type === 'code') {
      // JupyterLab drops the running cell without a word; say what happened where the profile
      // would have been.
      (profilingCell.model as ICodeCellModel).outputs.add({
        output_type: 'stream',
        name: 'stderr',
        text: trans.__(
          'ascend-profiler: the kernel restarted while this cell was being profiled, so no profile was recorded. The kernel has lost its variables: run the cells above again, then profile the cell again.'
        ) + '\n'
      });
    }
  };

  app.commands.addCommand(CommandIDs.profileCellWithOptions, {
    label: trans.__('Profile with Options…'),
    caption: trans.__(
      'Choose warm-up runs, recorded runs and the other profiler options for one profile of this cell (the saved settings stay as they are)'
    ),
    icon: profileIcon,
    isEnabled: isCodeCell,
    isVisible: isCodeCell,
    describedBy: { args: { type: 'object', properties: {} } },
    execute: async () => {
      const panel = tracker.currentWidget;
      let cell = tracker.activeCell;
      if (!panel || !cell || cell.model.type !== 'code') {
        return;
      }
      const options = await askProfileOptions(settings, trans);
      if (!options || panel.isDisposed || cell.isDisposed) {
        return;
      }
      // On a profiling cell, profile the cell it belongs to: re-running the profiling cell as it
      // is (what "Profile This Cell" does there) would ignore the options just chosen.
      const notebook = panel.content;
      const index = notebook.widgets.indexOf(cell);
      const above = notebook.widgets[index - 1];
      const meta = cell.model.getMetadata(CELL_METADATA_KEY) as
        | { profiled_cell?: string }
        | undefined;
      if (
        cell.model.sharedModel.getSource().startsWith(PROFILING_CELL_MARKER) &&
        above &&
        meta?.profiled_cell === above.model.id
      ) {
        cell = above;
      }
      await profile(panel, cell, options);
    }
  });

  if (palette) {
    palette.addItem({
      command: CommandIDs.profileCell,
      category: trans.__('Ascend Profiler')
    });
    palette.addItem({
      command: CommandIDs.profileCellWithOptions,
      category: trans.__('Ascend Profiler')
    });
  }
  tracker.activeCellChanged.connect(() => {
    app.commands.notifyCommandChanged(CommandIDs.profileCell);
    app.commands.notifyCommandChanged(CommandIDs.profileCellWithOptions);
  });
}

namespace Private {
  /**
   * Put the profiling template for `cell` below it and return the new cell's
   * index, or -1 when there is nothing to profile. The user's cell is never
   * changed: a profiling cell already right below it (from an earlier click)
   * is reused, and clicking on a profiling cell re-runs it as it is.
   */
  export async function insertProfilingCell(
    panel: NotebookPanel,
    cell: Cell,
    settings: IProfilerSettings,
    trans: ReturnType<ITranslator['load']>
  ): Promise<number> {
    const notebook = panel.content;
    const model = notebook.model;
    if (!model) {
      return -1;
    }
    const index = notebook.widgets.indexOf(cell);
    const source = cell.model.sharedModel.getSource();
    if (source.startsWith(PROFILING_CELL_MARKER)) {
      return index;
    }
    if (source.trim() === '') {
      Notification.warning(trans.__('This cell is empty: there is nothing to profile.'), {
        autoClose: 4000
      });
      return -1;
    }
    const profilingSource = buildProfilingCell(source, settings);
    // The template is long; its input starts collapsed so the profile is what the user sees
    // (one click on the collapsed input shows it).
    const metadata = {
      [CELL_METADATA_KEY]: { profiled_cell: cell.model.id },
      jupyter: { source_hidden: true }
    };
    const next = notebook.widgets[index + 1];
    const nextMeta = next?.model.getMetadata(CELL_METADATA_KEY) as
      | { profiled_cell?: string }
      | undefined;
    if (
      next &&
      next.model.type === 'code' &&
      nextMeta?.profiled_cell === cell.model.id &&
      next.model.sharedModel.getSource().startsWith(PROFILING_CELL_MARKER)
    ) {
      model.sharedModel.transact(() => {
        next.model.sharedModel.setSource(profilingSource);
        (next.model as ICodeCellModel).outputs.clear();
      });
      return index + 1;
    }
    model.sharedModel.insertCell(index + 1, {
      cell_type: 'code',
      source: profilingSource,
      metadata
    });
    return index + 1;
  }

  /**
   * Read from the server; when the server has no such file (the kernel's folder is outside the
   * server root, the code changed directory, or the kernel is remote), ask the kernel itself.
   */
  export async function fromServerElseKernel<T>(
    panel: NotebookPanel | null,
    absPath: string | null | undefined,
    fromServer: () => Promise<T>,
    fromKernel: (kernel: Kernel.IKernelConnection, absPath: string) => Promise<T>
  ): Promise<T> {
    try {
      return await fromServer();
    } catch (reason) {
      const kernel = panel?.sessionContext.session?.kernel;
      if ((reason as TraceFileError).kind !== 'not-found' || !absPath || !kernel) {
        throw reason;
      }
      return fromKernel(kernel, absPath);
    }
  }

  /** Longest code line shown in a cell's label before it is cut. */
  const CELL_LABEL_CHARS = 32;

  /** The last non-empty line of `source`, cut to {@link CELL_LABEL_CHARS} characters. */
  export function lastCodeLine(source: string): string {
    const line = source
      .split('\n')
      .map(l => l.trim())
      .filter(l => l !== '' && !l.startsWith('#'))
      .pop() ?? '';
    return line.length > CELL_LABEL_CHARS ? `${line.slice(0, CELL_LABEL_CHARS - 1)}…` : line;
  }

  /** The cell of `panel` whose output holds `node`, or null. */
  function cellOf(panel: NotebookPanel | null, node: HTMLElement): Cell | null {
    if (!panel || panel.isDisposed || !panel.content.model) {
      return null;
    }
    return panel.content.widgets.find(c => c.node.contains(node)) ?? null;
  }

  /** What the renderer needs from the notebook `panel` (or from none). */
  export function makeHost(
    panel: NotebookPanel | null,
    translator: ITranslator,
    settings: () => IProfilerSettings
  ): IProfileHost {
    const trans = translator.load(TRANSLATION_DOMAIN);
    const profilesChanged = panel ? new Signal<NotebookPanel, void>(panel) : undefined;
    const flows: Pick<IProfileHost, 'restartAndApply' | 'profileInFreshProcess'> = panel
      ? {
          restartAndApply: (node, remedies) => {
            const index = profiledCellIndexOf(panel, node);
            return index < 0
              ? Promise.resolve(false)
              : restartAndApply(panel, index, remedies, translator, settings());
          },
          profileInFreshProcess: (node, remedies) => {
            const index = profiledCellIndexOf(panel, node);
            return index < 0
              ? Promise.resolve(false)
              : profileInFreshProcess(panel, index, remedies, settings(), translator);
          }
        }
      : {};
    return {
      ...flows,
      profilesChanged,
      readFile: (resolver, path, absPath) =>
        Private.fromServerElseKernel(
          panel,
          absPath,
          () => readTraceFile(resolver, path),
          (kernel, abs) => readFileViaKernel(kernel, abs)
        ),
      traceChunks: (resolver, path, absPath, sizeHint, onProgress, signal) =>
        Private.fromServerElseKernel(
          panel,
          absPath,
          () => resolvedTraceChunks(resolver, path, onProgress, sizeHint, signal),
          (kernel, abs) => kernelFileChunks(kernel, abs, { onProgress, signal })
        ),
      needsRestart,
      remedyDetails,
      recordProfile: (node, snapshot) => {
        const cell = cellOf(panel, node);
        if (!cell) {
          return null;
        }
        const meta = (cell.model.getMetadata(CELL_METADATA_KEY) ?? {}) as {
          history?: IProfileSnapshot[];
        };
        const before = meta.history ?? [];
        const history = addToHistory(before, snapshot);
        // Only write when something changed: reopening a notebook must not make it dirty.
        if (JSON.stringify(history) !== JSON.stringify(before)) {
          cell.model.setMetadata(CELL_METADATA_KEY, { ...meta, history });
          profilesChanged?.emit(undefined);
        }
        return history;
      },
      otherProfiles: node => {
        const cell = cellOf(panel, node);
        if (!panel || !cell) {
          return [];
        }
        const cells = panel.content.widgets;
        return cells.flatMap((other, i) => {
          const meta = other.model.getMetadata(CELL_METADATA_KEY) as
            | { history?: IProfileSnapshot[]; profiled_cell?: string }
            | undefined;
          if (other === cell || !Array.isArray(meta?.history)) {
            return [];
          }
          // JupyterLab shows no cell numbers: name the profiled cell by its last line of code.
          const profiled = cells.find(c => c.model.id === meta.profiled_cell);
          const line = profiled ? Private.lastCodeLine(profiled.model.sharedModel.getSource()) : '';
          const label = line ? trans.__('cell “%1”', line) : trans.__('cell %1', String(i + 1));
          return meta.history.map(snapshot => ({ label, snapshot }));
        });
      },
      insertRemedyCell: (node, remedies) => {
        if (!panel || panel.isDisposed || !panel.content.model) {
          return false;
        }
        const source = buildRemedyCell(remedies);
        const notebook = panel.content;
        const index = notebook.widgets.findIndex(c => c.node.contains(node));
        if (source === null || index < 0) {
          return false;
        }
        notebook.model!.sharedModel.insertCell(index + 1, {
          cell_type: 'code',
          source,
          metadata: { [CELL_METADATA_KEY]: { remedies } }
        });
        notebook.deselectAll();
        notebook.activeCellIndex = index + 1;
        return true;
      }
    };
  }
}

export default [plugin, openTracePlugin];
