-- Landing-page leads, the first table of the sales funnel.

CREATE TABLE leads (
    id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    name          text CHECK (length(name) <= 200),
    email         text CHECK (length(email) <= 320),
    phone         text CHECK (length(phone) <= 32),
    source        text NOT NULL DEFAULT 'landing',
    utm_source    text,
    utm_medium    text,
    utm_campaign  text,
    status        text NOT NULL DEFAULT 'new' CHECK (status IN ('new', 'contacted', 'qualified', 'converted', 'lost')),
    created_at    timestamptz NOT NULL DEFAULT now(),
    updated_at    timestamptz NOT NULL DEFAULT now(),
    CHECK (email IS NOT NULL OR phone IS NOT NULL)
);
CREATE INDEX leads_created ON leads (created_at);
