-- SMS opt-outs per phone number (ADR 0021): the inbound-message webhook and the SMS sender
-- read and write them as prep_platform; tenant work (prep_app) never needs them.
GRANT SELECT, INSERT, UPDATE ON sms_opt_outs TO prep_platform;
