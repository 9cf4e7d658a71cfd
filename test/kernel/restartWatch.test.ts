import { Signal } from '@lumino/signaling';
import { describe, expect, it } from 'vitest';
import { watchForRestart } from '../../src/kernel/restartWatch';

/** The two signals of a session context that the watch listens to. */
function fakeSession() {
  const session: any = {};
  session.statusChanged = new Signal<any, string>(session);
  session.kernelChanged = new Signal<any, unknown>(session);
  return session;
}

describe('watchForRestart', () => {
  it('stays false while the kernel only goes busy and idle', () => {
    const session = fakeSession();
    const watch = watchForRestart(session);
    session.statusChanged.emit('busy');
    session.statusChanged.emit('idle');
    expect(watch.restarted).toBe(false);
  });

  it.each(['restarting', 'autorestarting', 'dead'])('notices status %s', status => {
    const session = fakeSession();
    const watch = watchForRestart(session);
    session.statusChanged.emit('busy');
    session.statusChanged.emit(status);
    session.statusChanged.emit('idle');
    expect(watch.restarted).toBe(true);
  });

  it('notices a change of kernel', () => {
    const session = fakeSession();
    const watch = watchForRestart(session);
    session.kernelChanged.emit({ name: 'kernel', oldValue: { id: 'a' }, newValue: { id: 'b' } });
    expect(watch.restarted).toBe(true);
  });

  it('does not count the first kernel of a notebook that had none as a restart', () => {
    const session = fakeSession();
    const watch = watchForRestart(session);
    session.kernelChanged.emit({ name: 'kernel', oldValue: null, newValue: { id: 'a' } });
    session.statusChanged.emit('starting');
    session.statusChanged.emit('idle');
    expect(watch.restarted).toBe(false);
  });

  it('ignores what happens after dispose', () => {
    const session = fakeSession();
    const watch = watchForRestart(session);
    watch.dispose();
    session.statusChanged.emit('restarting');
    expect(watch.restarted).toBe(false);
  });
});
