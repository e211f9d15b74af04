/**
 * A server's or tool's icon (spec 2025-11-25 `icons`), shown only from a `data:` URL of a raster
 * image type. A remote icon is never fetched (a fetch tells the server when and where you look);
 * SVG is skipped too (scriptable).
 */
import type { Icon } from '../../../../shared/domain';

const DATA_ICON = /^data:image\/(png|gif|jpeg|webp);base64,[A-Za-z0-9+/=\s]+$/;

export function pickIcon(icons: readonly Icon[] | undefined): string | undefined {
  return icons?.find((icon) => DATA_ICON.test(icon.src) && icon.src.length <= 200_000)?.src;
}

export function SafeIcon({ icons, size = 20 }: { icons: readonly Icon[] | undefined; size?: number }) {
  const src = pickIcon(icons);
  if (!src) return null;
  return <img className="safe-icon" src={src} alt="" width={size} height={size} aria-hidden="true" />;
}
