import { toString as qrSvg } from "qrcode";
import { useEffect, useState } from "react";
import { Skeleton } from "../../components/ui/skeleton";

/**
 * A QR code drawn in the browser (the `qrcode` package) as an SVG image: the otpauth:// URL, which carries the
 * secret, never leaves the page.
 */
export function QrCode({ value, label }: { value: string; label: string }) {
  const [src, setSrc] = useState<string | null>(null);
  useEffect(() => {
    let live = true;
    void qrSvg(value, { type: "svg", margin: 1, errorCorrectionLevel: "M" }).then((svg) => {
      if (live) setSrc(`data:image/svg+xml;charset=utf-8,${encodeURIComponent(svg)}`);
    });
    return () => {
      live = false;
    };
  }, [value]);
  if (!src) return <Skeleton className="size-44" />;
  return <img src={src} alt={label} className="size-44 rounded-md bg-white p-1 ring-1 ring-slate-200" />;
}
