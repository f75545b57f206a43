// Which part of an image the model sees, as fractions of its width and height: all of it when
// the card stretches, the centred crop of the model's aspect ratio when it centre-crops. Pure, so
// the viewer can map a brush on the image to model-input pixels exactly as preprocessing does.
import type { ResolvedPreprocessing } from '../../api/schemas';

export interface ModelRegion {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** The region in image pixels (crop box) and as fractions (overlay region). */
export function modelCrop(imageWidth: number, imageHeight: number, prep: Pick<ResolvedPreprocessing, 'width' | 'height' | 'resize'>) {
  if (prep.resize !== 'center-crop' || (imageWidth === prep.width && imageHeight === prep.height)) {
    return { left: 0, top: 0, width: imageWidth, height: imageHeight, region: { x: 0, y: 0, width: 1, height: 1 } };
  }
  const targetAspect = prep.width / prep.height;
  let width = imageWidth;
  let height = Math.round(width / targetAspect);
  if (height > imageHeight) {
    height = imageHeight;
    width = Math.round(height * targetAspect);
  }
  const left = Math.floor((imageWidth - width) / 2);
  const top = Math.floor((imageHeight - height) / 2);
  const region: ModelRegion = { x: left / imageWidth, y: top / imageHeight, width: width / imageWidth, height: height / imageHeight };
  return { left, top, width, height, region };
}
