// Shared steps of the Chromium end-to-end tests.
import type { Page } from 'playwright-core';

/** Waits until the viewer's heatmap layer canvas holds at least one painted (alpha > 0) pixel. */
export async function waitForHeatmapPixels(page: Page, timeoutMs = 30_000): Promise<void> {
  await page.waitForFunction(
    () => {
      const canvas = document.querySelector<HTMLCanvasElement>('[data-testid=viewer] canvas[data-layer=heatmap]');
      if (!canvas) return false;
      const { data } = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height);
      for (let i = 3; i < data.length; i += 4) if (data[i] > 0) return true;
      return false;
    },
    undefined,
    { timeout: timeoutMs },
  );
}
