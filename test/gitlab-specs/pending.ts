// Why we fail a ported GitLab case today, one text per cause: a case's `pending` is one of these, so the
// runner's todo list and the lead's report group by cause. Each says what GitLab does and where ours is made.


