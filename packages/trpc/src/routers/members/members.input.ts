import { z } from "zod";
import { email, pagination, uuid } from "../../lib/inputs";

export const memberRoleInput = z.enum(["owner", "admin", "agent", "viewer"]);

export const listMembersInput = z.strictObject({ ...pagination }).default({ limit: 50 });
export const addMemberInput = z.strictObject({ email, role: memberRoleInput });
export const updateRoleInput = z.strictObject({ userId: uuid, role: memberRoleInput });
export const removeMemberInput = z.strictObject({ email });
