/**
 * Opening traces from the file browser: the trace file types (double-click
 * opens them in the profile view), the "Profile View" entry of "Open With",
 * and the `ascend-profiler:open-trace` command of the file browser's context
 * menu, which also opens profiler folders (`*_ascend_pt`,
 * ASCEND_PROFILER_OUTPUT). The context-menu items live in
 * schema/open-trace.json (the schema file is named after this plugin's id).
 *
 * How a trace is read (streamed from /files/, analysed in a worker) is in
 * view/TraceDocument.ts.
 */
import {
  ILayoutRestorer,
  type JupyterFrontEnd,
  type JupyterFrontEndPlugin
} from '@jupyterlab/application';
import { MainAreaWidget, Notification, WidgetTracker } from '@jupyterlab/apputils';
import { IDocumentManager } from '@jupyterlab/docmanager';
import { IDefaultFileBrowser, IFileBrowserFactory, type FileBrowser } from '@jupyterlab/filebrowser';
import { ITranslator, nullTranslator } from '@jupyterlab/translation';
import { profileIcon } from './icons';
import { TRANSLATION_DOMAIN } from './tokens';
import { ASCEND_OUTPUT_DIR } from './trace/siblings';
import {
  looksLikeProfileFolder,
  PYTORCH_TRACE_EXTENSIONS,
  TRACE_VIEW_PATTERN
} from './trace/locateTrace';
import {
  createFolderTraceWidget,
  TRACE_MODEL_FACTORY,
  TRACE_WIDGET_FACTORY,
  TraceDocumentWidget,
  TraceModelFactory,
  TraceView,
  TraceWidgetFactory
} from './view/TraceDocument';

/** Id of this plugin; schema/open-trace.json holds its context-menu items. */
export const OPEN_TRACE_PLUGIN_ID = 'jupyterlab-ascend-profiler:open-trace';

/** Open a trace file or a profiler folder in a profile view tab. Args: `{ path? }`. */
export const OPEN_TRACE_COMMAND = 'ascend-profiler:open-trace';

/** File type of torch_npu's `trace_view.json[.gz]`. */
export const ASCEND_TRACE_FILE_TYPE = 'ascend-trace-view';

/** File type of PyTorch profiler (Kineto) traces, `*.pt.trace.json[.gz]`. */
export const PYTORCH_TRACE_FILE_TYPE = 'pytorch-trace';

const plugin: JupyterFrontEndPlugin<void> = {
  id: OPEN_TRACE_PLUGIN_ID,
  description:
    'Open trace_view.json, *.pt.trace.json(.gz) files and *_ascend_pt folders from the file browser in a profile view tab.',
  autoStart: true,
  requires: [IDocumentManager],
  optional: [ITranslator, IDefaultFileBrowser, IFileBrowserFactory, ILayoutRestorer],
  activate
};

/** Register the file types, the widget factory, the command and the trackers. */
function activate(
  app: JupyterFrontEnd,
  docManager: IDocumentManager,
  translator: ITranslator | null,
  defaultBrowser: FileBrowser | null,
  browserFactory: IFileBrowserFactory | null,
  restorer: ILayoutRestorer | null
): void {
  translator = translator ?? nullTranslator;
  const trans = translator.load(TRANSLATION_DOMAIN);
  const contents = app.serviceManager.contents;
  const registry = app.docRegistry;

  registry.addFileType({
    name: ASCEND_TRACE_FILE_TYPE,
    displayName: trans.__('Ascend Trace'),
    // A pattern, not an extension: the name is fixed, and plain .json must
    // keep opening in the JSON viewer.
    pattern: TRACE_VIEW_PATTERN,
    extensions: [],
    mimeTypes: ['application/json'],
    contentType: 'file',
    icon: profileIcon
  });
  registry.addFileType({
    name: PYTORCH_TRACE_FILE_TYPE,
    displayName: trans.__('PyTorch Profiler Trace'),
    // Multi-dot extensions are matched longest first by the registry.
    extensions: [...PYTORCH_TRACE_EXTENSIONS],
    mimeTypes: ['application/json'],
    contentType: 'file',
    icon: profileIcon
  });

  registry.addModelFactory(new TraceModelFactory());
  const factory = new TraceWidgetFactory({
    name: TRACE_WIDGET_FACTORY,
    label: trans.__('Profile View'),
    modelName: TRACE_MODEL_FACTORY,
    // Default only for the trace types; any JSON file gets "Open With → Profile View".
    fileTypes: [ASCEND_TRACE_FILE_TYPE, PYTORCH_TRACE_FILE_TYPE, 'json'],
    defaultFor: [ASCEND_TRACE_FILE_TYPE, PYTORCH_TRACE_FILE_TYPE],
    readOnly: true,
    contents,
    translator
  });
  registry.addWidgetFactory(factory);

  const fileTracker = new WidgetTracker<TraceDocumentWidget>({
    namespace: 'ascend-profiler-trace-file'
  });
  /** Another run or rank a trace view found beside its own: open it in its own tab. */
  const openOther = (_: TraceView, path: string) => {
    void app.commands.execute(OPEN_TRACE_COMMAND, { path });
  };
  factory.widgetCreated.connect((_, widget) => {
    widget.context.pathChanged.connect(() => void fileTracker.save(widget));
    widget.content.openRequested.connect(openOther);
    void fileTracker.add(widget);
  });
  const folderTracker = new WidgetTracker<MainAreaWidget<TraceView>>({
    namespace: 'ascend-profiler-trace-folder'
  });
  if (restorer) {
    void restorer.restore(fileTracker, {
      command: 'docmanager:open',
      args: widget => ({ path: widget.context.path, factory: TRACE_WIDGET_FACTORY }),
      name: widget => widget.context.path
    });
    void restorer.restore(folderTracker, {
      command: OPEN_TRACE_COMMAND,
      args: widget => ({ path: widget.content.request?.path ?? '' }),
      name: widget => widget.content.request?.path ?? ''
    });
  }

  /** The item right-clicked (selected) in the file browser that has focus. */
  const selectedItem = () => {
    const browser = browserFactory?.tracker.currentWidget ?? defaultBrowser;
    const first = browser?.selectedItems().next();
    return first && !first.done ? first.value : null;
  };

  const openFolder = (path: string) => {
    const existing = folderTracker.find(w => w.content.request?.path === path);
    if (existing) {
      app.shell.activateById(existing.id);
      return existing;
    }
    const widget = createFolderTraceWidget(contents, path, translator);
    widget.content.openRequested.connect(openOther);
    void folderTracker.add(widget);
    app.shell.add(widget, 'main');
    app.shell.activateById(widget.id);
    return widget;
  };

  app.commands.addCommand(OPEN_TRACE_COMMAND, {
    label: args => {
      if (typeof args.path === 'string') {
        return trans.__('Open in Profile View');
      }
      return selectedItem()?.type === 'directory'
        ? trans.__('Open Profile in This Folder')
        : trans.__('Open in Profile View');
    },
    caption: trans.__(
      'Read this trace (or the trace in this profiler folder) and show its timeline and tuning checklist'
    ),
    icon: profileIcon,
    isVisible: args => {
      if (typeof args.path === 'string') {
        return true;
      }
      const item = selectedItem();
      // Files reach this command only through the trace-type selectors of
      // the context menu; folders through every folder, so filter by name.
      return !!item && (item.type !== 'directory' || looksLikeProfileFolder(item.name));
    },
    describedBy: {
      args: {
        type: 'object',
        properties: {
          path: {
            type: 'string',
            description: trans.__(
              'Server path of a trace file or of a profiler folder (*_ascend_pt, %1); default: the item selected in the file browser',
              ASCEND_OUTPUT_DIR
            )
          }
        }
      }
    },
    execute: async args => {
      let path: string;
      let isFolder: boolean;
      if (typeof args.path === 'string') {
        path = args.path;
        try {
          const model = await contents.get(path, { content: false });
          isFolder = model.type === 'directory';
        } catch (reason) {
          Notification.error(trans.__('%1 could not be opened: %2', path || '/', String(reason)), {
            autoClose: 6000
          });
          return;
        }
      } else {
        const item = selectedItem();
        if (!item) {
          return;
        }
        path = item.path;
        isFolder = item.type === 'directory';
      }
      if (isFolder) {
        return openFolder(path);
      }
      return docManager.openOrReveal(path, TRACE_WIDGET_FACTORY);
    }
  });
}

export default plugin;

