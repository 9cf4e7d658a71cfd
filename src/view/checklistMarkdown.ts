/**
 * The checklist as Markdown, saved beside our MIME type in the output so
 * GitHub, nbviewer and nbconvert (which do not know our renderer) show it.
 */
import type { TranslationBundle } from '@jupyterlab/translation';
import type { IProfileSummary } from '../analysis/summary';
import { formatShare, formatUs } from './format';
import { describeFinding } from './wording';

/** Escape text for Markdown, so trace names can neither format nor inject HTML. */
export function escapeMarkdown(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/([\\`*_{}[\]()#+\-.!|~])/g, '\\$1');
}

/** Markdown of the header facts and the checklist. */
export function checklistMarkdown(
  summary: IProfileSummary,
  trans: TranslationBundle
): string {
  const busy =
    summary.hasDevice && summary.spanUs > 0
      ? formatShare(summary.deviceBusyUs / summary.spanUs)
      : trans.__('no device timeline');
  const lines = [
    `**${escapeMarkdown(trans.__('Ascend profiler'))}**: ${escapeMarkdown(
      trans.__(
        '%1, trace span %2, device busy %3',
        summary.backend,
        formatUs(summary.spanUs),
        busy
      )
    )}`,
    ''
  ];
  for (const finding of summary.findings) {
    const text = describeFinding(finding, trans);
    const saving =
      finding.savingUs > 0 ? ` (${escapeMarkdown(trans.__('up to %1', formatUs(finding.savingUs)))})` : '';
    lines.push(
      `- **${escapeMarkdown(finding.severity.toUpperCase())}** ${escapeMarkdown(text.title)}${saving}  `,
      `  ${escapeMarkdown(text.detail)}`
    );
  }
  return lines.join('\n') + '\n';
}
