ALTER TABLE "program_settings" ADD COLUMN "logo" jsonb;--> statement-breakpoint
ALTER TABLE "program_settings" ADD COLUMN "summary_earnings" text DEFAULT '' NOT NULL;--> statement-breakpoint
ALTER TABLE "program_settings" ADD COLUMN "earnings_rows" jsonb DEFAULT '[]'::jsonb NOT NULL;--> statement-breakpoint
ALTER TABLE "program_settings" ADD COLUMN "summary_requirements" text DEFAULT '' NOT NULL;--> statement-breakpoint
ALTER TABLE "program_settings" ADD COLUMN "summary_faq" text DEFAULT '' NOT NULL;