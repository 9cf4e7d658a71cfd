/**
 * The one DOM helper of the view: elements with text, never HTML, because
 * trace strings (op names, lane labels, paths) are untrusted.
 */

/** Create an element with a class and, optionally, text content. */
export function el(tag: string, className: string, text?: string): HTMLElement {
  const node = document.createElement(tag);
  node.className = className;
  if (text !== undefined) {
    node.textContent = text;
  }
  return node;
}
