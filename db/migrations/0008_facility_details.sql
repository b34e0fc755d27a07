ALTER TABLE "inspections" ALTER COLUMN "score" SET DATA TYPE double precision;--> statement-breakpoint
ALTER TABLE "temperature_logs" ALTER COLUMN "temp_f" SET DATA TYPE double precision;--> statement-breakpoint
ALTER TABLE "facilities" ADD COLUMN "certificate_holder_left_at" date;--> statement-breakpoint
ALTER TABLE "facilities" ADD COLUMN "serves_highly_susceptible_population" boolean;--> statement-breakpoint
ALTER TABLE "temperature_logs" ADD COLUMN "category" text;