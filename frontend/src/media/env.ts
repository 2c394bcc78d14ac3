/** The browser's Media Source Extensions, behind `MediaEnv`; prefers ManagedMediaSource. */
import type { MediaEnv, MediaSourceLike, VideoLike } from "./types";

type MediaSourceCtor = { new (): MediaSource; isTypeSupported(type: string): boolean };

function managedCtor(): MediaSourceCtor | null {
  const w = globalThis as { ManagedMediaSource?: MediaSourceCtor };
  return w.ManagedMediaSource ?? null;
}

export function hasMediaSource(): boolean {
  return managedCtor() !== null || typeof globalThis.MediaSource === "function";
}

export function browserMediaEnv(): MediaEnv {
  const managed = managedCtor();
  const ctor: MediaSourceCtor = managed ?? MediaSource;
  return {
    createSource: () => ({ source: new ctor() as unknown as MediaSourceLike, isManaged: managed !== null }),
    isTypeSupported: (mime) => ctor.isTypeSupported(mime),
    attach(video, source, isManaged) {
      const el = video as unknown as HTMLVideoElement;
      if (isManaged) {
        el.disableRemotePlayback = true;
        el.srcObject = source as unknown as MediaSource;
        return () => {
          el.srcObject = null;
        };
      }
      const url = URL.createObjectURL(source as unknown as MediaSource);
      el.src = url;
      return () => {
        el.removeAttribute("src");
        el.load();
        URL.revokeObjectURL(url);
      };
    },
  };
}

/** Codec strings to try, the server's own first (upstream's fallbacks after it). */
export function codecCandidates(mime: string): string[] {
  const all = [
    mime,
    'video/mp4; codecs="avc1.42E01E,mp4a.40.2"',
    'video/mp4; codecs="avc1.4D401F,mp4a.40.2"',
    'video/mp4; codecs="avc1.640028,mp4a.40.2"',
  ];
  return [...new Set(all.filter((m) => m.length > 0))];
}

export function pickMime(env: MediaEnv, mime: string): string | null {
  return codecCandidates(mime).find((m) => env.isTypeSupported(m)) ?? null;
}

export type { VideoLike };
