"""Sales management for staff: search and read orders, cancel with a refund, resend the
confirmation, sell at the box office (and give comps), and the sales reports."""
