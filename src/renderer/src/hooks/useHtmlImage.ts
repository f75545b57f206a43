// Loads a (data) URL into an HTMLImageElement for Konva; null until it has decoded.
import { useEffect, useState } from 'react';

export function useHtmlImage(src: string | null, onError: (message: string) => void): HTMLImageElement | null {
  const [loaded, setLoaded] = useState<{ src: string; image: HTMLImageElement } | null>(null);
  useEffect(() => {
    if (!src) return;
    const image = new window.Image();
    let live = true;
    image.onload = () => {
      if (live) setLoaded({ src, image });
    };
    image.onerror = () => {
      if (live) onError('The preview image could not be decoded');
    };
    image.src = src;
    return () => {
      live = false;
    };
  }, [src, onError]);
  return loaded && loaded.src === src ? loaded.image : null;
}
