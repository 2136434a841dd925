// Small DOM helpers shared by the page's modules: elements, SVG elements, text formats.

const SVG_NS = "http://www.w3.org/2000/svg";

function build(node, attrs, children) {
  for (const [name, value] of Object.entries(attrs || {})) {
    if (value === null || value === undefined || value === false) continue;
    node.setAttribute(name, value === true ? "" : String(value));
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

// el("span", {class: "chip"}, "text", otherNode)
export function el(tag, attrs, ...children) {
  return build(document.createElement(tag), attrs, children);
}

export function svg(tag, attrs, ...children) {
  return build(document.createElementNS(SVG_NS, tag), attrs, children);
}

// The server clock (Unix seconds) as a local time with milliseconds.
export function clock(seconds) {
  const date = new Date(seconds * 1000);
  const time = date.toLocaleTimeString([], { hour12: false });
  return `${time}.${String(date.getMilliseconds()).padStart(3, "0")}`;
}

export function day(seconds) {
  return new Date(seconds * 1000).toLocaleDateString([], { dateStyle: "medium" });
}

export function pretty(value) {
  return typeof value === "string" ? value : JSON.stringify(value, null, 2);
}

// A JSON Pointer (RFC 6901) as its tokens.
export function pointerTokens(pointer) {
  if (!pointer) return [];
  return pointer
    .split("/")
    .slice(1)
    .map((t) => t.replace(/~1/g, "/").replace(/~0/g, "~"));
}

// A stable colour per class index, readable on photos and on the blank canvas.
export function classColour(index) {
  const hue = (Number.isInteger(index) ? index : 0) * 67 + 190;
  return `hsl(${hue % 360} 85% 52%)`;
}

export function copyText(text) {
  if (navigator.clipboard && window.isSecureContext) {
    return navigator.clipboard.writeText(text);
  }
  const area = el("textarea", { readonly: true, style: "position:fixed;opacity:0" });
  area.value = text;
  document.body.append(area);
  area.select();
  document.execCommand("copy");
  area.remove();
  return Promise.resolve();
}
