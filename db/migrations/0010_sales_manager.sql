-- The sales manager of an order's customer when it was placed, so a sales manager's order list is searched where the
-- orders are, like a customer's. Set when the order is first written and never changed after (a customer who changes
-- manager keeps its earlier orders under the one they were placed under). NULL when the customer had none, as for
-- every order written before this step.
ALTER TABLE routing_orders ADD COLUMN sales_manager_id text NULL;
CREATE INDEX ix_routing_orders_sales_manager ON routing_orders (sales_manager_id, placed_at DESC) WHERE sales_manager_id IS NOT NULL;
