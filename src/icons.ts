/**
 * Our icon: a stopwatch over timeline bars, drawn with the theme's icon colour.
 */
import { LabIcon } from '@jupyterlab/ui-components';

const PROFILE_SVG = `<svg xmlns="http://www.w3.org/2000/svg" width="16" height="16" viewBox="0 0 24 24">
  <g class="jp-icon3" fill="#616161">
    <path d="M10 1h4v2h-4z"/>
    <path d="M12 4a8 8 0 1 0 0 16 8 8 0 0 0 0-16zm0 14a6 6 0 1 1 0-12 6 6 0 0 1 0 12z"/>
    <path d="M11 8h2v5h-2z"/>
    <path d="M3 21h7v2H3zM12 21h9v2h-9z"/>
  </g>
</svg>`;

/** Icon of the "Profile this cell" command. */
export const profileIcon = new LabIcon({
  name: 'jupyterlab-ascend-profiler:profile',
  svgstr: PROFILE_SVG
});
