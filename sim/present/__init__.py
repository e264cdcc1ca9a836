"""What people read: the output files of the public contract, figures, the report for
politicians, the dashboard and the generated reference pages. Nothing below imports it."""
