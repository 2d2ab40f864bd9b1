CREATE TABLE "link_click_monthly" (
	"link_id" uuid NOT NULL,
	"month" date NOT NULL,
	"organisation_id" uuid NOT NULL,
	"clicks" bigint DEFAULT 0 NOT NULL,
	"unique_clicks" bigint DEFAULT 0 NOT NULL,
	"bot_clicks" bigint DEFAULT 0 NOT NULL,
	"test_clicks" bigint DEFAULT 0 NOT NULL,
	"fallback_clicks" bigint DEFAULT 0 NOT NULL,
	CONSTRAINT "link_click_monthly_link_id_month_pk" PRIMARY KEY("link_id","month"),
	CONSTRAINT "link_click_monthly_month_start_ck" CHECK (extract(day from "link_click_monthly"."month") = 1)
);
--> statement-breakpoint
CREATE TABLE "conversion_monthly" (
	"organisation_id" uuid NOT NULL,
	"link_id" uuid NOT NULL,
	"month" date NOT NULL,
	"currency" text NOT NULL,
	"slot" smallint NOT NULL,
	"conversions" bigint DEFAULT 0 NOT NULL,
	"revenue_minor" bigint DEFAULT 0 NOT NULL,
	"commission_minor" bigint DEFAULT 0 NOT NULL,
	"refunded_minor" bigint DEFAULT 0 NOT NULL,
	CONSTRAINT "conversion_monthly_pk" PRIMARY KEY("organisation_id","link_id","month","currency","slot"),
	CONSTRAINT "conversion_monthly_month_start_ck" CHECK (extract(day from "conversion_monthly"."month") = 1)
);
--> statement-breakpoint
ALTER TABLE "link_click_monthly" ADD CONSTRAINT "link_click_monthly_link_id_tracking_links_id_fk" FOREIGN KEY ("link_id") REFERENCES "public"."tracking_links"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "link_click_monthly_org_idx" ON "link_click_monthly" USING btree ("organisation_id","month");--> statement-breakpoint
CREATE INDEX "link_click_monthly_month_idx" ON "link_click_monthly" USING btree ("month");--> statement-breakpoint
CREATE INDEX "conversion_monthly_org_month_idx" ON "conversion_monthly" USING btree ("organisation_id","month");--> statement-breakpoint
CREATE INDEX "conversion_monthly_month_idx" ON "conversion_monthly" USING btree ("month");--> statement-breakpoint
-- The months so far, from the daily rollups (decision 031); from now on every writer of a daily row adds to its month's in the same statement.
-- The month from the day as a timestamp without time zone: date_trunc of a date would take the session's time zone.
INSERT INTO "link_click_monthly" ("link_id", "month", "organisation_id", "clicks", "unique_clicks", "bot_clicks", "test_clicks", "fallback_clicks")
SELECT "link_id", date_trunc('month', "day"::timestamp)::date, "organisation_id", sum("clicks"), sum("unique_clicks"), sum("bot_clicks"), sum("test_clicks"), sum("fallback_clicks")
FROM "link_click_daily"
GROUP BY 1, 2, 3;--> statement-breakpoint
INSERT INTO "conversion_monthly" ("organisation_id", "link_id", "month", "currency", "slot", "conversions", "revenue_minor", "commission_minor", "refunded_minor")
SELECT "organisation_id", "link_id", date_trunc('month', "day"::timestamp)::date, "currency", "slot", sum("conversions"), sum("revenue_minor"), sum("commission_minor"), sum("refunded_minor")
FROM "conversion_daily"
GROUP BY 1, 2, 3, 4, 5;
