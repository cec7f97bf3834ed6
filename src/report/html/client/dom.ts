// The few browser APIs the page script uses, typed here because the project compiles for
// Node without the DOM library (adding it would change global types for every other file).
// Type-only: nothing here exists at run time.

export interface El {
  id: string;
  className: string;
  textContent: string | null;
  readonly clientWidth: number;
  readonly children: ArrayLike<El>;
  appendChild(child: El): El;
  setAttribute(name: string, value: string): void;
  getAttribute(name: string): string | null;
  querySelectorAll(selector: string): ArrayLike<El>;
  addEventListener(type: 'click', listener: () => void): void;
}

export interface Doc {
  readonly body: El;
  getElementById(id: string): El | null;
  createElement(tag: string): El;
}

export interface Win {
  addEventListener(type: 'resize', listener: () => void): void;
  setTimeout(fn: () => void, ms: number): number;
  clearTimeout(id: number): void;
}

export interface Ctx2d {
  fillStyle: string;
  strokeStyle: string;
  lineWidth: number;
  globalAlpha: number;
  save(): void;
  restore(): void;
  beginPath(): void;
  rect(x: number, y: number, w: number, h: number): void;
  clip(): void;
  fillRect(x: number, y: number, w: number, h: number): void;
  moveTo(x: number, y: number): void;
  lineTo(x: number, y: number): void;
  stroke(): void;
}
