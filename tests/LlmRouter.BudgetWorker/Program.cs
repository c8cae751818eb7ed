// A worker process for the budget store tests: runs requests through a router whose budget lives in a shared SQLite file
// or PostgreSQL database, and reports what it served. The tests start several at once, as separate OS processes.
using LlmRouter.BudgetWorker;

return await Worker.RunAsync(args);
