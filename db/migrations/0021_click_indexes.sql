DROP INDEX "link_clicks_click_id_idx";--> statement-breakpoint
DROP INDEX "link_clicks_link_idx";