// Rasterises a clinician's region annotations (rectangles, ellipses, closed freehand outlines and
// polygons, in image pixel coordinates) onto an explanation map's grid: a cell is inside when its
// centre is inside any region (even-odd rule for outlines).
import { REGION_KINDS, type AnnotationKind, type Point } from '../../api/case-schemas';

export interface RegionShape {
  kind: AnnotationKind;
  points: readonly Point[];
}

/** Where an [H, W] map lies over the image: its top-left corner and cell size, in image pixels. */
export interface MapGrid {
  width: number;
  height: number;
  x0: number;
  y0: number;
  cellWidth: number;
  cellHeight: number;
}

/** The grid of a map that covers `region` (fractions of the image, as the engine reports it). */
export function mapGrid(
  mapWidth: number,
  mapHeight: number,
  region: { x: number; y: number; width: number; height: number },
  imageWidth: number,
  imageHeight: number,
): MapGrid {
  return {
    width: mapWidth,
    height: mapHeight,
    x0: region.x * imageWidth,
    y0: region.y * imageHeight,
    cellWidth: (region.width * imageWidth) / mapWidth,
    cellHeight: (region.height * imageHeight) / mapHeight,
  };
}

/** The image coordinates of a cell's centre. */
export function cellCentre(grid: MapGrid, index: number): Point {
  const row = Math.floor(index / grid.width);
  const col = index % grid.width;
  return [grid.x0 + (col + 0.5) * grid.cellWidth, grid.y0 + (row + 0.5) * grid.cellHeight];
}

export function isRegion(shape: RegionShape): boolean {
  return REGION_KINDS.includes(shape.kind);
}

export function pointInShape(shape: RegionShape, x: number, y: number): boolean {
  const pts = shape.points;
  if (shape.kind === 'rectangle' || shape.kind === 'ellipse') {
    const [[ax, ay], [bx, by]] = pts;
    const left = Math.min(ax, bx);
    const right = Math.max(ax, bx);
    const top = Math.min(ay, by);
    const bottom = Math.max(ay, by);
    if (shape.kind === 'rectangle') return x >= left && x <= right && y >= top && y <= bottom;
    const rx = (right - left) / 2;
    const ry = (bottom - top) / 2;
    if (rx <= 0 || ry <= 0) return false;
    const dx = (x - (left + rx)) / rx;
    const dy = (y - (top + ry)) / ry;
    return dx * dx + dy * dy <= 1;
  }
  if (shape.kind === 'polygon' || shape.kind === 'freehand') {
    let inside = false;
    for (let i = 0, j = pts.length - 1; i < pts.length; j = i++) {
      const [xi, yi] = pts[i];
      const [xj, yj] = pts[j];
      if (yi > y !== yj > y && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) inside = !inside;
    }
    return inside;
  }
  return false;
}

/** 1 for each map cell whose centre lies in any region shape; non-region shapes are ignored. */
export function regionMask(grid: MapGrid, shapes: readonly RegionShape[]): Uint8Array {
  // Each shape's bounding box first: long freehand outlines are then tested only where they can be.
  const regions = shapes.filter(isRegion).map((shape) => {
    const xs = shape.points.map((p) => p[0]);
    const ys = shape.points.map((p) => p[1]);
    return { shape, left: Math.min(...xs), right: Math.max(...xs), top: Math.min(...ys), bottom: Math.max(...ys) };
  });
  const mask = new Uint8Array(grid.width * grid.height);
  for (let index = 0; index < mask.length; index++) {
    const [x, y] = cellCentre(grid, index);
    if (regions.some((r) => x >= r.left && x <= r.right && y >= r.top && y <= r.bottom && pointInShape(r.shape, x, y))) mask[index] = 1;
  }
  return mask;
}
