// The Electron preload's bridge; absent when the renderer is served over HTTP.
import type { PreloadBridge } from '../../api/transport';

declare global {
  interface Window {
    sightline?: PreloadBridge;
  }
}

export {};
