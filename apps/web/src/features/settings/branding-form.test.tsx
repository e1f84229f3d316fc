import { cleanup, fireEvent, render, screen } from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";
import { BrandingForm, brandingInput } from "./branding-form";

afterEach(cleanup);

/** As tenant.current returns it: unset fields are absent. */
const branding = { primaryColor: "#4f46e5" };

describe("brandingInput", () => {
  it("sends emptied fields as null (back to the inherited value)", () => {
    expect(brandingInput({ primaryColor: " #0f766e ", secondaryColor: "", logoUrl: "", displayName: "Acme Care" })).toEqual({
      primaryColor: "#0f766e",
      secondaryColor: null,
      logoUrl: null,
      displayName: "Acme Care",
    });
  });
});

describe("BrandingForm", () => {
  it("submits what was typed", () => {
    const onSubmit = vi.fn();
    render(<BrandingForm branding={branding} tenantName="Acme" onSubmit={onSubmit} pending={false} error={null} disabled={false} saved={false} />);
    fireEvent.change(screen.getByLabelText("Primary color"), { target: { value: "#0f766e" } });
    fireEvent.click(screen.getByRole("button", { name: "Save branding" }));
    expect(onSubmit).toHaveBeenCalledWith({ primaryColor: "#0f766e", secondaryColor: null, logoUrl: null, displayName: null });
  });

  it("previews a valid color only, and a logo only from https", () => {
    const { container } = render(
      <BrandingForm branding={branding} tenantName="Acme" onSubmit={() => {}} pending={false} error={null} disabled={false} saved={false} />,
    );
    const preview = screen.getByRole("img", { name: "Preview" });
    fireEvent.change(screen.getByLabelText("Primary color"), { target: { value: "red;background:url(x)" } });
    expect(preview.getAttribute("style") ?? "").not.toContain("--brand");
    fireEvent.change(screen.getByLabelText("Primary color"), { target: { value: "#0F766E" } });
    expect(preview.style.getPropertyValue("--brand")).toBe("#0f766e");

    fireEvent.change(screen.getByLabelText("Logo URL"), { target: { value: "javascript:alert(1)" } });
    expect(container.querySelector("img")).toBeNull();
    fireEvent.change(screen.getByLabelText("Logo URL"), { target: { value: "https://cdn.example.com/l.png" } });
    expect(container.querySelector("img")?.getAttribute("src")).toBe("https://cdn.example.com/l.png");
  });

  it("shows the server's message on the field it names", () => {
    const error = {
      message: "Invalid input",
      data: { code: "BAD_REQUEST", httpStatus: 400, issues: [{ path: "branding.logoUrl", message: "Use an https:// URL" }] },
    };
    render(<BrandingForm branding={branding} tenantName="Acme" onSubmit={() => {}} pending={false} error={error} disabled={false} saved={false} />);
    expect(screen.getByLabelText("Logo URL").getAttribute("aria-invalid")).toBe("true");
    expect(screen.getByText("Use an https:// URL")).toBeTruthy();
  });

  it("is read-only without the right to change it", () => {
    render(<BrandingForm branding={branding} tenantName="Acme" onSubmit={() => {}} pending={false} error={null} disabled={true} saved={false} />);
    expect(screen.queryByRole("button", { name: "Save branding" })).toBeNull();
    // Inside a disabled fieldset (browsers disable every control in it).
    expect(screen.getByLabelText("Primary color").closest("fieldset")?.disabled).toBe(true);
  });
});
