import { cleanup, fireEvent, render, screen } from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";
import { CreateTenantForm, slugFromName } from "./create-tenant-form";

afterEach(cleanup);

describe("slugFromName", () => {
  it.each([
    ["Acme Corporation", "acme-corporation"],
    ["  Café Bär & Co. ", "cafe-bar-co"],
    ["---", ""],
  ])("%s → %s", (name, slug) => expect(slugFromName(name)).toBe(slug));
});

describe("CreateTenantForm", () => {
  it("suggests the address from the name until the address is edited", () => {
    const onSubmit = vi.fn();
    render(<CreateTenantForm onSubmit={onSubmit} pending={false} error={null} />);
    fireEvent.change(screen.getByLabelText("Tenant name"), { target: { value: "Initech Labs" } });
    expect((screen.getByLabelText("Address") as HTMLInputElement).value).toBe("initech-labs");
    fireEvent.change(screen.getByLabelText("Address"), { target: { value: "initech" } });
    fireEvent.change(screen.getByLabelText("Tenant name"), { target: { value: "Initech Labs Inc" } });
    fireEvent.click(screen.getByRole("button", { name: "Create tenant" }));
    expect(onSubmit).toHaveBeenCalledWith({ name: "Initech Labs Inc", slug: "initech" });
  });

  it("shows a conflict on the form and a slug issue on the address", () => {
    const { rerender } = render(
      <CreateTenantForm
        onSubmit={() => {}}
        pending={false}
        error={{ message: "x", data: { code: "BAD_REQUEST", httpStatus: 400, issues: [{ path: "slug", message: "This name is reserved" }] } }}
      />,
    );
    expect(screen.getByLabelText("Address").getAttribute("aria-invalid")).toBe("true");
    expect(screen.getByText("This name is reserved")).toBeTruthy();
    rerender(
      <CreateTenantForm onSubmit={() => {}} pending={false} error={{ message: 'The address "acme" is taken', data: { code: "CONFLICT", httpStatus: 409 } }} />,
    );
    expect(screen.getByRole("alert").textContent).toBe('The address "acme" is taken');
  });
});
