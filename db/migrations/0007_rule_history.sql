-- A dataset may hold one rule id several times, once per effective window (rule history,
-- e.g. Texas's food-handler deadline before and after 2021-08-08): key rules by position.
ALTER TABLE "rules" DROP CONSTRAINT "rules_dataset_version_id_rule_id_pk";--> statement-breakpoint
ALTER TABLE "rules" ADD COLUMN "position" integer;--> statement-breakpoint
UPDATE "rules" SET "position" = numbered.pos
  FROM (SELECT dataset_version_id, rule_id, (row_number() OVER (PARTITION BY dataset_version_id ORDER BY rule_id)) - 1 AS pos FROM "rules") AS numbered
  WHERE "rules".dataset_version_id = numbered.dataset_version_id AND "rules".rule_id = numbered.rule_id;--> statement-breakpoint
ALTER TABLE "rules" ALTER COLUMN "position" SET NOT NULL;--> statement-breakpoint
ALTER TABLE "rules" ADD CONSTRAINT "rules_dataset_version_id_position_pk" PRIMARY KEY("dataset_version_id","position");--> statement-breakpoint
CREATE INDEX "rules_rule_id_idx" ON "rules" USING btree ("rule_id");
