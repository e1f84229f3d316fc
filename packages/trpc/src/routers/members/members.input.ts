import { z } from "zod";
import { memberRole } from "@switchboard/db";
import { email, pagination, uuid } from "../../lib/inputs";

const memberRoleInput = z.enum(memberRole.enumValues);

export const listMembersInput = z.strictObject({ ...pagination }).default({ limit: 50 });
export const addMemberInput = z.strictObject({ email, role: memberRoleInput });
export const updateRoleInput = z.strictObject({ userId: uuid, role: memberRoleInput });
export const removeMemberInput = z.strictObject({ email });
