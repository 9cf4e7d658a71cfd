/**
 * Notices a kernel restart (asked for, or automatic after a crash) while a cell runs.
 *
 * Why: when the kernel restarts in the middle of a profile, JupyterLab just drops the running
 * cell's execution. The profiling cell would be left empty, with no word that nothing was
 * recorded and that the kernel's variables are gone; the caller uses this to say so.
 */
import type { ISessionContext } from '@jupyterlab/apputils';
import type { Kernel } from '@jupyterlab/services';

/** Kernel statuses that mean the process running the cell went away. */
const RESTART_STATUSES: ReadonlySet<Kernel.Status> = new Set<Kernel.Status>([
  'restarting',
  'autorestarting',
  'dead'
]);

/** What {@link watchForRestart} returns. */
export interface IRestartWatch {
  /** Whether the kernel restarted, died or was replaced by another since the watch began. */
  readonly restarted: boolean;
  /** Stops watching. */
  dispose(): void;
}

/**
 * Starts watching `session` for a restart, a dead kernel or a change of kernel.
 *
 * @param session - the notebook's session context.
 */
export function watchForRestart(session: ISessionContext): IRestartWatch {
  let restarted = false;
  const onStatus = (_: ISessionContext, status: Kernel.Status) => {
    if (RESTART_STATUSES.has(status)) {
      restarted = true;
    }
  };
  // A kernel started for a notebook that had none (old value null) is not a restart.
  const onKernel = (_: ISessionContext, change: { oldValue: unknown }) => {
    if (change.oldValue) {
      restarted = true;
    }
  };
  session.statusChanged.connect(onStatus);
  session.kernelChanged.connect(onKernel);
  return {
    get restarted() {
      return restarted;
    },
    dispose() {
      session.statusChanged.disconnect(onStatus);
      session.kernelChanged.disconnect(onKernel);
    }
  };
}
