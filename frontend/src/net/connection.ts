/**
 * One logical connection to `/ws` that survives dropped sockets.
 *
 * start(init): open a socket and send `init` as the first message (the server answers
 * `session_ready`, then the session's events). If the socket drops while the caller still has a session to
 * resume, reconnect with backoff and send `session_resume` as the first message; outgoing messages
 * are held until the session is back. `close()` is idempotent and never triggers a reconnect.
 */
import { decodeServerEvent, type ServerEvent } from "../protocol/events";
import { type ClientMessage, encodeClientMessage } from "../protocol/messages";

export interface SocketLike {
  binaryType: BinaryType;
  readonly readyState: number;
  onopen: ((ev: Event) => void) | null;
  onmessage: ((ev: MessageEvent) => void) | null;
  onclose: ((ev: CloseEvent) => void) | null;
  onerror: ((ev: Event) => void) | null;
  send(data: string): void;
  close(code?: number, reason?: string): void;
}

export interface ResumeCredentials {
  sessionId: string;
  resumeToken: string;
}

export interface ConnectionOptions {
  url: string;
  createSocket?: (url: string) => SocketLike;
  /** Called for every decoded server event, in order. */
  onEvent: (event: ServerEvent) => void;
  onBinary: (bytes: ArrayBuffer) => void;
  onStatus: (status: "connecting" | "open" | "reconnecting" | "closed", attempt: number) => void;
  /** What to resume with after a drop; null when there is nothing worth resuming. */
  resumeCredentials: () => ResumeCredentials | null;
  /** All reconnect attempts failed (or a drop happened with nothing to resume). */
  onLost: (reason: string) => void;
  maxMessageBytes: () => number;
  backoffMs?: readonly number[];
  setTimer?: (fn: () => void, ms: number) => number;
  clearTimer?: (id: number) => void;
}

const DEFAULT_BACKOFF_MS = [250, 500, 1000, 2000, 3000, 4000, 5000, 5000] as const;
const OPEN = 1;
const MAX_HELD_MESSAGES = 32;

export class Connection {
  private socket: SocketLike | null = null;
  private held: ClientMessage[] = [];
  private isClosed = false;
  private isResuming = false;
  private isReady = false;
  private attempt = 0;
  private timer: number | null = null;
  private readonly backoff: readonly number[];
  private readonly setTimer: (fn: () => void, ms: number) => number;
  private readonly clearTimer: (id: number) => void;

  constructor(private readonly opts: ConnectionOptions) {
    this.backoff = opts.backoffMs ?? DEFAULT_BACKOFF_MS;
    this.setTimer = opts.setTimer ?? ((fn, ms) => window.setTimeout(fn, ms));
    this.clearTimer = opts.clearTimer ?? ((id) => window.clearTimeout(id));
  }

  get isOpen(): boolean {
    return !this.isClosed && this.isReady && this.socket?.readyState === OPEN;
  }

  /** Open the first socket and send `init` as its first message. */
  start(init: ClientMessage): void {
    this.opts.onStatus("connecting", 0);
    const socket = this.openSocket();
    socket.onopen = () => {
      if (this.socket !== socket) return;
      this.isReady = true;
      this.sendNow(init);
      this.opts.onStatus("open", 0);
      this.flushHeld();
    };
  }

  /** Send now if the session is live on an open socket, else hold until it is back. */
  send(msg: ClientMessage): void {
    if (this.isClosed) return;
    if (this.isOpen && !this.isResuming) {
      this.sendNow(msg);
      return;
    }
    if (this.held.length < MAX_HELD_MESSAGES) this.held.push(msg);
  }

  close(code = 1000, reason = "client closed"): void {
    if (this.isClosed) return;
    this.isClosed = true;
    this.clearPendingTimer();
    const socket = this.socket;
    this.socket = null;
    if (socket) {
      socket.onclose = null;
      socket.onmessage = null;
      socket.close(code, reason);
    }
    this.opts.onStatus("closed", 0);
  }

  private openSocket(): SocketLike {
    const create = this.opts.createSocket ?? ((url: string) => new WebSocket(url) as SocketLike);
    const socket = create(this.opts.url);
    socket.binaryType = "arraybuffer";
    socket.onmessage = (ev) => this.handleMessage(socket, ev);
    socket.onclose = (ev) => this.handleClose(socket, ev);
    socket.onerror = () => undefined; // a close event always follows
    this.socket = socket;
    return socket;
  }

  private handleMessage(socket: SocketLike, ev: MessageEvent): void {
    if (socket !== this.socket) return;
    if (typeof ev.data !== "string") {
      if (ev.data instanceof ArrayBuffer) this.opts.onBinary(ev.data);
      return;
    }
    let event: ServerEvent;
    try {
      event = decodeServerEvent(ev.data);
    } catch (exc) {
      console.warn("dreamverse: ignoring a malformed server event", exc);
      return;
    }
    this.opts.onEvent(event);
    if (event.type === "session_resumed") this.finishResume();
    if (event.type === "error" && event.code === "resume_failed") this.isResuming = false;
  }

  private handleClose(socket: SocketLike, ev: CloseEvent): void {
    if (socket !== this.socket || this.isClosed) return;
    this.socket = null;
    this.isReady = false;
    this.clearPendingTimer();
    const credentials = this.opts.resumeCredentials();
    if (!credentials) {
      this.isClosed = true;
      this.opts.onStatus("closed", 0);
      this.opts.onLost(ev.reason || `socket closed (${ev.code})`);
      return;
    }
    this.scheduleReconnect(credentials);
  }

  private scheduleReconnect(credentials: ResumeCredentials): void {
    const delay = this.backoff[this.attempt];
    if (delay === undefined) {
      this.isClosed = true;
      this.opts.onStatus("closed", 0);
      this.opts.onLost("could not reconnect");
      return;
    }
    this.attempt += 1;
    this.isResuming = true;
    this.opts.onStatus("reconnecting", this.attempt);
    this.timer = this.setTimer(() => this.reconnect(credentials), delay);
  }

  private reconnect(credentials: ResumeCredentials): void {
    this.timer = null;
    if (this.isClosed) return;
    const socket = this.openSocket();
    socket.onopen = () => {
      this.isReady = true;
      const fresh = this.opts.resumeCredentials() ?? credentials;
      this.sendNow({ type: "session_resume", session_id: fresh.sessionId, resume_token: fresh.resumeToken });
    };
  }

  private finishResume(): void {
    this.isResuming = false;
    this.attempt = 0;
    this.opts.onStatus("open", 0);
    this.flushHeld();
  }

  private flushHeld(): void {
    const held = this.held;
    this.held = [];
    for (const msg of held) this.sendNow(msg);
  }

  private sendNow(msg: ClientMessage): void {
    this.socket?.send(encodeClientMessage(msg, this.opts.maxMessageBytes()));
  }

  private clearPendingTimer(): void {
    if (this.timer !== null) this.clearTimer(this.timer);
    this.timer = null;
  }
}
