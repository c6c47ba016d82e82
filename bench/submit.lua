-- wrk script: every request POSTs one complete, valid IIT response (the JSON body in the file
-- named by $ITA_BENCH_BODY) to the URL given on wrk's command line. Each 201 is one response
-- committed to the store; bench/run.sh checks the stored count against wrk's.
local f = assert(io.open(os.getenv("ITA_BENCH_BODY"), "r"))
wrk.method = "POST"
wrk.body = f:read("*a")
wrk.headers["Content-Type"] = "application/json"
f:close()
