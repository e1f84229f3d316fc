import type { TRPCRouterRecord } from "@trpc/server";
import { peopleOnly } from "../../middlewares/people-only";
import { tenantAgentProcedure, tenantProcedure } from "../../procedures";
import { listAvailabilityInput, setAvailabilityInput } from "./availability.input";
import { listAvailability, setAvailability } from "./availability.service";

const audit = { audit: { resourceType: "availability" } };

/** Availability is a person's own (online, away, offline): agents and above, never an API key. */
const tenantAgentPersonProcedure = tenantAgentProcedure.use(peopleOnly);

export const availabilityRouter = {
  list: tenantProcedure.input(listAvailabilityInput).query(({ ctx, input }) => listAvailability(ctx.tx, ctx.tenant.id, input)),
  set: tenantAgentPersonProcedure
    .meta(audit)
    .input(setAvailabilityInput)
    .mutation(({ ctx, input }) => setAvailability(ctx.tx, ctx.tenant, ctx.user.id, input)),
} satisfies TRPCRouterRecord;
