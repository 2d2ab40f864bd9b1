CREATE TABLE "partner_health_snapshots" (
	"day" date NOT NULL,
	"partner_organisation_id" uuid NOT NULL,
	"score" smallint,
	"computed_at" timestamp with time zone NOT NULL,
	CONSTRAINT "partner_health_snapshots_day_partner_organisation_id_pk" PRIMARY KEY("day","partner_organisation_id")
);
--> statement-breakpoint
ALTER TABLE "partner_health_snapshots" ADD CONSTRAINT "partner_health_snapshots_partner_organisation_id_partner_organisations_id_fk" FOREIGN KEY ("partner_organisation_id") REFERENCES "public"."partner_organisations"("id") ON DELETE no action ON UPDATE no action;