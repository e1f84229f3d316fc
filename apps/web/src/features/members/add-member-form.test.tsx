import { cleanup, fireEvent, render, screen } from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";
import { AddMemberForm } from "./add-member-form";

afterEach(cleanup);

describe("AddMemberForm", () => {
  it("offers the owner role to owners only", () => {
    const { rerender } = render(<AddMemberForm isOwner={false} onSubmit={() => {}} onCancel={() => {}} pending={false} error={null} />);
    const options = () => [...(screen.getByLabelText("Role") as HTMLSelectElement).options].map((o) => o.value);
    expect(options()).toEqual(["admin", "agent", "viewer"]);
    rerender(<AddMemberForm isOwner={true} onSubmit={() => {}} onCancel={() => {}} pending={false} error={null} />);
    expect(options()).toEqual(["owner", "admin", "agent", "viewer"]);
  });

  it("sends the email and role", () => {
    const onSubmit = vi.fn();
    render(<AddMemberForm isOwner={false} onSubmit={onSubmit} onCancel={() => {}} pending={false} error={null} />);
    fireEvent.change(screen.getByLabelText("Email"), { target: { value: "new@example.test" } });
    fireEvent.change(screen.getByLabelText("Role"), { target: { value: "viewer" } });
    fireEvent.click(screen.getByRole("button", { name: "Send invitation" }));
    expect(onSubmit).toHaveBeenCalledWith({ email: "new@example.test", role: "viewer" });
  });

  it("shows a refusal that is not about a field above the form", () => {
    const full = { message: "This tenant has no free seats (5 members and pending invitations)", data: { code: "PRECONDITION_FAILED", httpStatus: 412 } };
    render(<AddMemberForm isOwner={false} onSubmit={() => {}} onCancel={() => {}} pending={false} error={full} />);
    expect(screen.getByRole("alert").textContent).toContain("no free seats");
  });
});
