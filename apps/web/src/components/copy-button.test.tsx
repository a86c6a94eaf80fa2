import { act, cleanup, fireEvent, render, screen } from "@testing-library/react";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { CopyButton } from "./copy-button";

const writeText = vi.fn<(text: string) => Promise<void>>();

beforeEach(() => {
  writeText.mockReset();
  Object.defineProperty(window, "isSecureContext", { value: true, configurable: true });
  Object.defineProperty(navigator, "clipboard", { value: { writeText }, configurable: true });
});
afterEach(cleanup);

describe("CopyButton", () => {
  it("copies the value and says Copied", async () => {
    writeText.mockResolvedValue();
    render(<CopyButton value="2001:db8:1162:79fb:ff01::1" label="API VIP" />);
    await act(async () => fireEvent.click(screen.getByRole("button", { name: "Copy API VIP" })));
    expect(writeText).toHaveBeenCalledWith("2001:db8:1162:79fb:ff01::1");
    expect(screen.getByRole("button").textContent).toBe("Copied");
  });

  it("says so when the browser refuses", async () => {
    writeText.mockRejectedValue(new Error("denied"));
    render(<CopyButton value="x" label="x" />);
    await act(async () => fireEvent.click(screen.getByRole("button")));
    expect(screen.getByRole("button").textContent).toBe("Copy failed");
  });
});
