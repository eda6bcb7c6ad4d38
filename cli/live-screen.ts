import type { OutputMode } from './output.ts';

/**
 * A view redrawn in place on a terminal (the previous frame erased first); elsewhere each changed frame is printed
 * once, after the last, so a log or a pipe gets a readable sequence.
 */
export class LiveScreen {
  private lines = 0;
  private last = '';

  constructor(
    private readonly mode: OutputMode,
    private readonly out: NodeJS.WritableStream = process.stdout,
  ) {}

  draw(frame: string): void {
    if (frame === this.last) return;
    if (this.mode === 'tty') {
      // Up to the first line of the previous frame, then clear to the end of the screen.
      if (this.lines) this.out.write(`\x1b[${this.lines}F\x1b[0J`);
      this.out.write(`${frame}\n`);
      this.lines = frame.split('\n').length;
    } else {
      this.out.write(`${frame}\n${this.mode === 'plain' ? '\n' : ''}`);
    }
    this.last = frame;
  }
}
