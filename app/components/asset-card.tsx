import { Link } from "@remix-run/react";
import { assetKindLabel, isImageLike } from "~/domain/assets/catalog";
import { FileIcon } from "./ui";

export type AssetCardData = { id: string; kind: string; title: string; category: string; contentType: string | null; versionNumber: number };

/** A tile with the asset's rasterized preview (never the uploaded file inline). */
export function AssetCard({ asset, href, previewUrl, extra }: { asset: AssetCardData; href: string; previewUrl: string; extra?: React.ReactNode }) {
  return (
    <article className="asset-card">
      <div className="asset-card__thumb">{isImageLike(asset.contentType) ? <img src={previewUrl} alt="" loading="lazy" /> : <FileIcon size={40} />}</div>
      <div className="asset-card__body">
        <Link to={href}>{asset.title}</Link>
        <span className="muted small">
          {assetKindLabel(asset.kind)}
          {asset.category ? ` · ${asset.category}` : ""}
          {asset.versionNumber > 1 ? ` · v${asset.versionNumber}` : ""}
        </span>
        {extra}
      </div>
    </article>
  );
}
